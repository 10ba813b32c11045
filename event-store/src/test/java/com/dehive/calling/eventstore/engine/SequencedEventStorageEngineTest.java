package com.dehive.calling.eventstore.engine;

import com.dehive.calling.eventstore.embedded.EmbeddedStore;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine against the embedded store over the wire, as the service uses it: positions are taken in order, and a
 * reader never passes an event it has not seen, however late the event is stored after it was stamped and whatever
 * the writers' clocks say.
 */
class SequencedEventStorageEngineTest {

    private EmbeddedStore store;
    private MongoClient client;
    private MongoCollection<Document> events;

    @BeforeEach
    void start() {
        store = EmbeddedStore.inMemory();
        client = MongoClients.create(store.connectionString());
        events = client.getDatabase("dehive").getCollection(EventDocuments.COLLECTION);
    }

    @AfterEach
    void stop() {
        client.close();
        store.close();
    }

    private SequencedEventStorageEngine engine() {
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        SequencedEventStorageEngine engine = SequencedEventStorageEngine.builder().events(events)
                .eventSerializer(serializer).snapshotSerializer(serializer).batchSize(3).build();
        engine.ensureIndexes();
        return engine;
    }

    @Test
    void appends_take_consecutive_positions_from_zero() {
        SequencedEventStorageEngine engine = engine();
        assertThat(engine.createHeadToken()).isEqualTo(new GlobalSequenceTrackingToken(-1));

        engine.appendEvents(event("call-1", 0, Instant.now()));
        engine.appendEvents(event("call-2", 0, Instant.now()));
        engine.appendEvents(event("call-1", 1, Instant.now()));

        assertThat(read(engine, null)).extracting(this::positionOf).containsExactly(0L, 1L, 2L);
        assertThat(engine.createHeadToken()).isEqualTo(new GlobalSequenceTrackingToken(2));
    }

    @Test
    void a_node_knows_the_position_of_its_last_append_and_not_of_another_nodes() {
        SequencedEventStorageEngine here = engine();
        SequencedEventStorageEngine elsewhere = engine();
        assertThat(here.lastAppendedHere()).isEqualTo(-1);

        here.appendEvents(event("call-1", 0, Instant.now()), event("call-1", 1, Instant.now()));
        elsewhere.appendEvents(event("call-2", 0, Instant.now()));

        assertThat(here.lastAppendedHere()).isEqualTo(1);
        assertThat(elsewhere.lastAppendedHere()).isEqualTo(2);
    }

    @Test
    void an_event_stored_long_after_it_was_stamped_is_still_read_by_a_reader_that_is_past_later_ones() {
        SequencedEventStorageEngine engine = engine();
        Instant now = Instant.now();
        // stamped first, stored last: a slow commit, a pause, a busy store
        EventMessage<?> slow = event("slow-call", 0, now.minus(Duration.ofSeconds(30)));
        engine.appendEvents(event("call-1", 0, now));
        engine.appendEvents(event("call-2", 0, now.plusMillis(5)));
        TrackingToken readerAt = tokenOf(read(engine, null).get(1));

        engine.appendEvents(slow);

        assertThat(read(engine, readerAt)).extracting(this::aggregateOf).containsExactly("slow-call");
    }

    @Test
    void two_nodes_whose_clocks_are_apart_lose_no_event_to_a_reader() {
        SequencedEventStorageEngine ahead = engine();
        SequencedEventStorageEngine behind = engine();
        Instant now = Instant.now();
        List<String> appended = new ArrayList<>();
        TrackingToken readerAt = null;
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            SequencedEventStorageEngine node = i % 2 == 0 ? ahead : behind;
            Duration skew = i % 2 == 0 ? Duration.ZERO : Duration.ofMillis(-1500);
            node.appendEvents(event("call-" + i, 0, now.plusMillis(10L * i).plus(skew)));
            appended.add("call-" + i);
            for (TrackedEventMessage<?> event : read(ahead, readerAt)) {
                seen.add(aggregateOf(event));
                readerAt = tokenOf(event);
            }
        }
        assertThat(seen).containsExactlyElementsOf(appended);
    }

    @Test
    void concurrent_appends_of_two_nodes_get_one_position_each_with_none_left_out() throws Exception {
        SequencedEventStorageEngine one = engine();
        SequencedEventStorageEngine other = engine();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                SequencedEventStorageEngine node = writer % 2 == 0 ? one : other;
                String call = "call-" + writer;
                done.add(writers.submit(() -> {
                    for (int sequence = 0; sequence < 25; sequence++) {
                        node.appendEvents(event(call, sequence, Instant.now()));
                    }
                }));
            }
            for (Future<?> writer : done) {
                writer.get(30, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }

        List<TrackedEventMessage<?>> stream = read(one, null);
        assertThat(stream).extracting(this::positionOf)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 100).boxed().toList());
        Map<String, Long> lastSequence = new HashMap<>();
        for (TrackedEventMessage<?> event : stream) {
            DomainEventMessage<?> domain = (DomainEventMessage<?>) event;
            long previous = lastSequence.getOrDefault(domain.getAggregateIdentifier(), -1L);
            assertThat(domain.getSequenceNumber()).as("each call's events in order").isEqualTo(previous + 1);
            lastSequence.put(domain.getAggregateIdentifier(), domain.getSequenceNumber());
        }
    }

    @Test
    void the_events_of_one_commit_are_one_document_read_as_they_were_appended() {
        SequencedEventStorageEngine engine = engine();
        engine.appendEvents(event("call-0", 0, Instant.now()));
        engine.appendEvents(event("busy-call", 0, Instant.now()), event("busy-call", 1, Instant.now()));
        engine.appendEvents(event("call-0", 1, Instant.now()));

        assertThat(events.countDocuments()).isEqualTo(3);
        assertThat(read(engine, null)).extracting(this::aggregateOf, this::positionOf)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("call-0", 0L),
                        org.assertj.core.groups.Tuple.tuple("busy-call", 1L),
                        org.assertj.core.groups.Tuple.tuple("busy-call", 2L),
                        org.assertj.core.groups.Tuple.tuple("call-0", 3L));
        // a reader that stopped inside the commit goes on from there
        assertThat(read(engine, new GlobalSequenceTrackingToken(1))).extracting(this::positionOf)
                .containsExactly(2L, 3L);
        DomainEventStream busy = engine.readEvents("busy-call", 0);
        assertThat(busy.asStream().map(DomainEventMessage::getSequenceNumber)).containsExactly(0L, 1L);
        assertThat(engine.readEvents("busy-call", 1).asStream().map(DomainEventMessage::getSequenceNumber))
                .containsExactly(1L);
        assertThat(engine.lastSequenceNumberFor("busy-call")).contains(1L);
    }

    @Test
    void a_commit_that_lost_its_sequence_to_another_node_is_refused_whole() {
        SequencedEventStorageEngine engine = engine();
        engine.appendEvents(event("call-1", 0, Instant.now()));
        engine.appendEvents(event("call-1", 1, Instant.now()));

        assertThatThrownBy(() -> engine.appendEvents(event("call-1", 1, Instant.now()),
                event("call-1", 2, Instant.now()))).isInstanceOf(ConcurrencyException.class);

        assertThat(events.countDocuments(Filters.eq(EventDocuments.AGGREGATE, "call-1"))).isEqualTo(2);
        assertThat(read(engine, null)).hasSize(2);
    }

    @Test
    void a_unit_of_work_appends_one_aggregate_only() {
        SequencedEventStorageEngine engine = engine();
        assertThatThrownBy(() -> engine.appendEvents(event("call-1", 0, Instant.now()),
                event("call-2", 0, Instant.now()))).isInstanceOf(IllegalArgumentException.class);
        assertThat(events.countDocuments()).isZero();
    }

    @Test
    void an_append_that_keeps_losing_its_position_is_refused_as_busy_and_nothing_of_it_is_stored() {
        SequencedEventStorageEngine engine = engine();
        engine.appendEvents(event("call-0", 0, Instant.now()));
        SequencedEventStorageEngine losing = SequencedEventStorageEngine.builder().events(alwaysOvertaken(events))
                .eventSerializer(JacksonSerializer.defaultSerializer())
                .snapshotSerializer(JacksonSerializer.defaultSerializer()).build();

        assertThatThrownBy(() -> losing.appendEvents(event("call-9", 0, Instant.now())))
                .isInstanceOfSatisfying(CallingException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_BUSY));
        assertThat(events.countDocuments(Filters.eq(EventDocuments.AGGREGATE, "call-9"))).isZero();
    }

    /** The collection as another node's writer sees it when it always takes the next position first. */
    @SuppressWarnings("unchecked")
    private static MongoCollection<Document> alwaysOvertaken(MongoCollection<Document> events) {
        return (MongoCollection<Document>) Proxy.newProxyInstance(MongoCollection.class.getClassLoader(),
                new Class<?>[]{MongoCollection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("insertOne") && args.length == 1) {
                        Document commit = (Document) args[0];
                        events.insertOne(new Document(EventDocuments.AGGREGATE, "other-" + commit.get("_id"))
                                .append(EventDocuments.SEQUENCE, 0L)
                                .append(EventDocuments.POSITION, commit.get(EventDocuments.POSITION))
                                .append(EventDocuments.LAST_POSITION, commit.get(EventDocuments.LAST_POSITION)));
                    }
                    try {
                        return method.invoke(events, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private List<TrackedEventMessage<?>> read(SequencedEventStorageEngine engine, TrackingToken after) {
        return engine.readEvents(after, false).<TrackedEventMessage<?>>map(event -> event).toList();
    }

    private long positionOf(TrackedEventMessage<?> event) {
        return event.trackingToken().position().orElseThrow();
    }

    private TrackingToken tokenOf(TrackedEventMessage<?> event) {
        return event.trackingToken();
    }

    private String aggregateOf(TrackedEventMessage<?> event) {
        return ((DomainEventMessage<?>) event).getAggregateIdentifier();
    }

    private static DomainEventMessage<?> event(String call, long sequence, Instant stamped) {
        return new GenericDomainEventMessage<>("Call", call, sequence, "payload of " + call + "#" + sequence,
                MetaData.emptyInstance(), java.util.UUID.randomUUID().toString(), stamped);
    }
}
