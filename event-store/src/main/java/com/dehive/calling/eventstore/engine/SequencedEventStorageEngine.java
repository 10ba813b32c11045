package com.dehive.calling.eventstore.engine;

import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import static com.dehive.calling.eventstore.engine.EventDocuments.AGGREGATE;
import static com.dehive.calling.eventstore.engine.EventDocuments.LAST_POSITION;
import static com.dehive.calling.eventstore.engine.EventDocuments.LAST_SEQUENCE;
import static com.dehive.calling.eventstore.engine.EventDocuments.POSITION;
import static com.dehive.calling.eventstore.engine.EventDocuments.SEQUENCE;
import static com.dehive.calling.eventstore.engine.EventDocuments.TIMESTAMP;

/**
 * Axon's event storage in MongoDB, where every event has a position in one stream that no reader can pass before
 * the event is there: processors track that position ({@link GlobalSequenceTrackingToken}), not a time.
 *
 * <p>axon-mongo's own engine tracks by timestamp with a look-back window: an event stored later than that after it
 * was stamped (a slow commit, a pause, two nodes' clocks apart) was never delivered to a processor that had read a
 * later one. Here an append takes the position right after the last stored commit's, and the unique index on
 * {@value EventDocuments#POSITION} lets only one commit have it; a writer that loses the race reads the new last
 * position and tries the next one. A position is therefore only ever taken once the one before it is stored and
 * readable, so a reader that sees position {@code n} has every position below {@code n} to read as well: nothing
 * depends on clocks or on how long an append takes. A commit is one document, so its events are stored together or
 * not at all.
 */
public class SequencedEventStorageEngine extends BatchingEventStorageEngine {

    private static final Logger log = LoggerFactory.getLogger(SequencedEventStorageEngine.class);
    /** Appends that lose the race for a position to other nodes this many times in a row give up. */
    private static final int POSITION_ATTEMPTS = 50;

    private final MongoCollection<Document> events;
    /** This node's appends take positions one at a time: racing each other would only cost retries. */
    private final ReentrantLock appending = new ReentrantLock();
    /** The position the next append tries; -1 when unknown (at start, and after another node took one). */
    private long nextPosition = -1;
    /** The position of the last event this node appended; -1 before its first append. */
    private volatile long lastAppended = -1;

    private SequencedEventStorageEngine(Builder builder) {
        super(builder);
        this.events = builder.events;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The indexes the engine relies on: unique positions (sparse, so that events stored before positions existed
     * can be given theirs), the stream in position order, and one commit per aggregate sequence number.
     */
    public void ensureIndexes() {
        events.createIndex(Indexes.ascending(AGGREGATE, SEQUENCE),
                new IndexOptions().unique(true).name("uniqueAggregateIndex"));
        events.createIndex(Indexes.ascending(POSITION), new IndexOptions().unique(true).sparse(true)
                .name("uniquePositionIndex"));
        events.createIndex(Indexes.ascending(LAST_POSITION), new IndexOptions().name("eventStreamIndex"));
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        Document commit = EventDocuments.commitOf(events, serializer);
        appending.lock();
        try {
            for (int attempt = 1; attempt <= POSITION_ATTEMPTS; attempt++) {
                long first = nextPosition >= 0 ? nextPosition : lastPosition() + 1;
                EventDocuments.placeAt(commit, first);
                try {
                    this.events.insertOne(commit);
                    nextPosition = first + EventDocuments.eventCount(commit);
                    lastAppended = nextPosition - 1;
                    return;
                } catch (MongoWriteException e) {
                    if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                    nextPosition = -1;
                    if (sequenceTaken(commit)) {
                        // another command on this aggregate was recorded first: Axon's concurrency answer
                        handlePersistenceException(e, events.get(0));
                    }
                    log.debug("event=position_taken position={} attempt={}", first, attempt);
                }
            }
        } finally {
            appending.unlock();
        }
        throw new CallingException(ErrorCode.STORE_BUSY, "The event store is too busy to record this; try again");
    }

    private boolean sequenceTaken(Document commit) {
        return events.find(Filters.and(Filters.eq(AGGREGATE, commit.getString(AGGREGATE)),
                Filters.eq(SEQUENCE, commit.get(SEQUENCE)))).limit(1).first() != null;
    }

    /**
     * The position of the last event this node appended, -1 before its first append: known without asking the store,
     * and at least the position of every event a command handled here has stored.
     */
    public long lastAppendedPosition() {
        return lastAppended;
    }

    /** The last position stored, -1 for an empty stream. */
    long lastPosition() {
        Document last = events.find(Filters.gte(LAST_POSITION, 0L)).sort(Sorts.descending(LAST_POSITION))
                .limit(1).first();
        return last == null ? -1 : last.get(LAST_POSITION, Number.class).longValue();
    }

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        long after = positionOf(lastToken);
        List<TrackedEventData<?>> batch = new ArrayList<>(batchSize);
        for (Document commit : events.find(Filters.gt(LAST_POSITION, after)).sort(Sorts.ascending(LAST_POSITION))
                .limit(batchSize)) {
            for (EventDocuments.StoredEvent event : EventDocuments.eventsOf(commit)) {
                if (event.position() > after) {
                    batch.add(new TrackedDomainEventData<>(new GlobalSequenceTrackingToken(event.position()),
                            event.data()));
                }
            }
        }
        return batch;
    }

    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier, long firstSequenceNumber,
                                                                   int batchSize) {
        List<DomainEventData<?>> batch = new ArrayList<>();
        for (Document commit : events.find(Filters.and(Filters.eq(AGGREGATE, aggregateIdentifier),
                        Filters.gte(LAST_SEQUENCE, firstSequenceNumber)))
                .sort(Sorts.ascending(SEQUENCE)).limit(batchSize)) {
            for (EventDocuments.StoredEvent event : EventDocuments.eventsOf(commit)) {
                if (event.data().getSequenceNumber() >= firstSequenceNumber) {
                    batch.add(event.data());
                }
            }
        }
        return batch;
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        Document last = events.find(Filters.eq(AGGREGATE, aggregateIdentifier)).sort(Sorts.descending(SEQUENCE))
                .limit(1).first();
        return Optional.ofNullable(last).map(commit -> commit.get(LAST_SEQUENCE, Number.class).longValue());
    }

    @Override
    public TrackingToken createTailToken() {
        return new GlobalSequenceTrackingToken(-1);
    }

    @Override
    public TrackingToken createHeadToken() {
        return new GlobalSequenceTrackingToken(lastPosition());
    }

    /** The position before the first event stamped at or after {@code dateTime} (the head if there is none). */
    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        Document first = events.find(Filters.gte(TIMESTAMP, DateTimeUtils.formatInstant(dateTime)))
                .sort(Sorts.ascending(LAST_POSITION)).limit(1).first();
        return first == null ? createHeadToken()
                : new GlobalSequenceTrackingToken(first.get(POSITION, Number.class).longValue() - 1);
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        throw new UnsupportedOperationException("calls are short: this service takes no snapshots");
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        return Stream.empty();
    }

    private static long positionOf(TrackingToken token) {
        if (token == null) {
            return -1;
        }
        if (token instanceof GlobalSequenceTrackingToken position) {
            return position.getGlobalIndex();
        }
        throw new IllegalArgumentException("this store tracks by position, not by " + token.getClass().getName());
    }

    public static final class Builder extends BatchingEventStorageEngine.Builder {

        private MongoCollection<Document> events;

        public Builder events(MongoCollection<Document> events) {
            this.events = events;
            return this;
        }

        @Override
        public Builder eventSerializer(Serializer eventSerializer) {
            super.eventSerializer(eventSerializer);
            return this;
        }

        @Override
        public Builder snapshotSerializer(Serializer snapshotSerializer) {
            super.snapshotSerializer(snapshotSerializer);
            return this;
        }

        @Override
        public Builder upcasterChain(org.axonframework.serialization.upcasting.event.EventUpcaster upcasterChain) {
            super.upcasterChain(upcasterChain);
            return this;
        }

        @Override
        public Builder batchSize(int batchSize) {
            super.batchSize(batchSize);
            return this;
        }

        public SequencedEventStorageEngine build() {
            if (events == null) {
                throw new org.axonframework.common.AxonConfigurationException("the events collection is required");
            }
            persistenceExceptionResolver(exception -> exception instanceof MongoWriteException write
                    && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY);
            return new SequencedEventStorageEngine(this);
        }
    }
}
