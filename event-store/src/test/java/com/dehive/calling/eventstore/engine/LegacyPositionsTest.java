package com.dehive.calling.eventstore.engine;

import com.dehive.calling.eventstore.embedded.EmbeddedStore;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoTrackingToken;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store written by the releases before positions: axon-mongo's engine and its time-based tokens, as they wrote
 * them. Once given positions, it reads as one stream in the old order, each call's events in sequence, and each
 * processor goes on from where its old token stood.
 */
class LegacyPositionsTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private EmbeddedStore store;
    private MongoClient client;
    private MongoDatabase database;
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    @BeforeEach
    void start() {
        store = EmbeddedStore.inMemory();
        client = MongoClients.create(store.connectionString());
        database = client.getDatabase("dehive");
    }

    @AfterEach
    void stop() {
        client.close();
        store.close();
    }

    @Test
    void old_events_get_positions_in_the_old_order_and_old_tokens_the_positions_they_stood_for() {
        var template = DefaultMongoTemplate.builder().mongoDatabase(client, "dehive").build();
        var legacy = MongoEventStorageEngine.builder().mongoTemplate(template).eventSerializer(serializer)
                .snapshotSerializer(serializer).build();
        legacy.appendEvents(event("call-a", 0, T0));
        legacy.appendEvents(event("call-b", 0, T0.plusMillis(100)));
        // a node whose clock was behind stamped call-a's next event before its first one
        legacy.appendEvents(event("call-a", 1, T0.minusMillis(500)));
        legacy.appendEvents(event("call-b", 1, T0.plusSeconds(5)));
        legacy.appendEvents(event("call-c", 0, T0.plusSeconds(10)));
        TokenStore tokens = MongoTokenStore.builder().mongoTemplate(template).serializer(serializer)
                .transactionManager(NoTransactionManager.instance()).nodeId("old-node").build();
        tokens.initializeTokenSegments("call-history", 1);
        tokens.fetchToken("call-history", 0);
        // the old processor had handled everything stamped up to T0 + 6 s
        tokens.storeToken(MongoTrackingToken.of(T0.plusSeconds(6), Map.of()), "call-history", 0);
        tokens.releaseClaim("call-history", 0);

        new LegacyPositions(database, serializer, "node-1", Clock.systemUTC()).assign();

        SequencedEventStorageEngine engine = SequencedEventStorageEngine.builder()
                .events(database.getCollection(EventDocuments.COLLECTION)).eventSerializer(serializer)
                .snapshotSerializer(serializer).build();
        List<String> stream = engine.readEvents(null, false).map(LegacyPositionsTest::name).toList();
        assertThat(stream).containsExactly("call-a#0", "call-a#1", "call-b#0", "call-b#1", "call-c#0");
        TrackingToken converted = tokens.fetchToken("call-history", 0);
        assertThat(converted).isInstanceOf(GlobalSequenceTrackingToken.class);
        // events stamped within the old look-back of the token are handled again; none before is
        assertThat(engine.readEvents(converted, false).map(LegacyPositionsTest::name).toList())
                .containsExactly("call-b#1", "call-c#0");
        // new appends go on after them, and running it again changes nothing
        engine.appendEvents(event("call-d", 0, Instant.now()));
        new LegacyPositions(database, serializer, "node-2", Clock.systemUTC()).assign();
        assertThat(engine.readEvents(null, false).map(event -> ((TrackedEventMessage<?>) event).trackingToken()
                .position().orElseThrow()).toList()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void nodes_that_start_together_give_every_event_one_position_and_both_start() throws Exception {
        for (int round = 0; round < 20; round++) {
            MongoDatabase shared = client.getDatabase("together-" + round);
            var legacy = MongoEventStorageEngine.builder()
                    .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(client, shared.getName()).build())
                    .eventSerializer(serializer).snapshotSerializer(serializer).build();
            for (int i = 0; i < round % 3; i++) {
                legacy.appendEvents(event("call-" + i, 0, T0.plusMillis(i)));
            }
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService nodes = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> started = new ArrayList<>();
                for (String node : List.of("node-1", "node-2")) {
                    started.add(nodes.submit(() -> {
                        start.await();
                        new LegacyPositions(shared, serializer, node, Clock.systemUTC()).assign();
                        return null;
                    }));
                }
                for (Future<?> node : started) {
                    node.get(30, TimeUnit.SECONDS);
                }
            } finally {
                nodes.shutdownNow();
            }
            SequencedEventStorageEngine engine = SequencedEventStorageEngine.builder()
                    .events(shared.getCollection(EventDocuments.COLLECTION)).eventSerializer(serializer)
                    .snapshotSerializer(serializer).build();
            assertThat(engine.readEvents(null, false).map(event -> ((TrackedEventMessage<?>) event).trackingToken()
                    .position().orElseThrow()).toList()).as("round " + round)
                    .isEqualTo(java.util.stream.LongStream.range(0, round % 3).boxed().toList());
        }
    }

    private static String name(DomainEventMessage<?> event) {
        return event.getAggregateIdentifier() + "#" + event.getSequenceNumber();
    }

    private static String name(TrackedEventMessage<?> event) {
        return name((DomainEventMessage<?>) event);
    }

    private static DomainEventMessage<?> event(String call, long sequence, Instant stamped) {
        return new GenericDomainEventMessage<>("Call", call, sequence, "payload", MetaData.emptyInstance(),
                UUID.randomUUID().toString(), stamped);
    }
}
