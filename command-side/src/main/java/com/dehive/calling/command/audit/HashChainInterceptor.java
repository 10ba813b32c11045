package com.dehive.calling.command.audit;

import com.dehive.calling.shared.audit.AuditMetaData;
import com.dehive.calling.shared.audit.EventHash;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.Serializer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Chains each call's events: before an event is stored, its metadata gets the previous event's hash and its own
 * ({@link EventHash}), so that changing, removing or reordering a stored event breaks the chain at that event.
 */
public class HashChainInterceptor implements MessageDispatchInterceptor<EventMessage<?>> {

    private static final String LAST_HASHES = HashChainInterceptor.class.getName() + ".lastHashes";

    private final EventStore eventStore;
    private final Serializer eventSerializer;
    /** The last stored hash of recent calls, so that the next event need not read it back from the store. */
    private final Cache<String, StoredHash> recent = Caffeine.newBuilder().maximumSize(10_000).build();

    private record StoredHash(long sequence, String hash) {
    }

    public HashChainInterceptor(EventStore eventStore, Serializer eventSerializer) {
        this.eventStore = eventStore;
        this.eventSerializer = eventSerializer;
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        return (index, message) -> message instanceof DomainEventMessage<?> event ? chained(event) : message;
    }

    private EventMessage<?> chained(DomainEventMessage<?> event) {
        // Correlation data may be attached after dispatch interceptors run: hash what will be stored.
        DomainEventMessage<?> complete = CurrentUnitOfWork.isStarted()
                ? event.andMetaData(CurrentUnitOfWork.get().getCorrelationData()) : event;
        Map<String, String> lastHashes = lastHashesOfThisUnitOfWork();
        String previous = lastHashes.get(complete.getAggregateIdentifier());
        if (previous == null) {
            previous = storedHashOf(complete.getAggregateIdentifier(), complete.getSequenceNumber() - 1);
        }
        DomainEventMessage<?> linked = complete.andMetaData(Map.of(AuditMetaData.PREV_HASH, previous));
        String hash = EventHash.of(linked.getPayloadType().getName(), linked.getSequenceNumber(),
                DateTimeUtils.formatInstant(linked.getTimestamp()),
                eventSerializer.serialize(linked.getPayload(), String.class).getData(),
                eventSerializer.serialize(linked.getMetaData(), String.class).getData());
        lastHashes.put(complete.getAggregateIdentifier(), hash);
        rememberOnceStored(complete.getAggregateIdentifier(), complete.getSequenceNumber(), hash);
        return linked.andMetaData(MetaData.with(AuditMetaData.HASH, hash));
    }

    /** Only a committed event's hash is remembered: an append that fails leaves that sequence number free. */
    private void rememberOnceStored(String aggregateIdentifier, long sequence, String hash) {
        StoredHash stored = new StoredHash(sequence, hash);
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> recent.put(aggregateIdentifier, stored));
        }
    }

    private String storedHashOf(String aggregateIdentifier, long sequence) {
        if (sequence < 0) {
            return EventHash.GENESIS;
        }
        StoredHash known = recent.getIfPresent(aggregateIdentifier);
        if (known != null && known.sequence() == sequence) {
            return known.hash();
        }
        DomainEventStream stored = eventStore.readEvents(aggregateIdentifier, sequence);
        if (!stored.hasNext()) {
            throw new IllegalStateException("event " + sequence + " of " + aggregateIdentifier + " is missing");
        }
        Object hash = stored.next().getMetaData().get(AuditMetaData.HASH);
        return hash == null ? EventHash.GENESIS : hash.toString();
    }

    private static Map<String, String> lastHashesOfThisUnitOfWork() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new HashMap<>();
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(LAST_HASHES, key -> new HashMap<>());
    }
}
