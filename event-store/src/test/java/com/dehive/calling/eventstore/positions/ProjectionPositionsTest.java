package com.dehive.calling.eventstore.positions;

import com.dehive.calling.eventstore.embedded.EmbeddedStore;
import com.dehive.calling.eventstore.engine.AppendedPositions;
import com.dehive.calling.shared.query.AwaitProjectionQuery;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Answers wait for the projection's committed batches: told by the projection when its segments are this node's,
 * polled from the token store when another node holds one.
 */
class ProjectionPositionsTest {

    private static final String PROJECTION = "call-history";

    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
    private final AtomicReference<Map<Integer, EventTrackerStatus>> status = new AtomicReference<>(Map.of());
    private final AtomicInteger statusReads = new AtomicInteger();
    private final AppendedPositions engine = mock(AppendedPositions.class);
    private EmbeddedStore store;
    private MongoClient client;
    private MongoTemplate mongo;
    private ProjectionPositions positions;

    @BeforeEach
    void start() {
        store = EmbeddedStore.inMemory();
        client = MongoClients.create(store.connectionString());
        mongo = DefaultMongoTemplate.builder().mongoDatabase(client, "dehive").build();
        StreamingEventProcessor processor = mock(StreamingEventProcessor.class);
        when(processor.getName()).thenReturn(PROJECTION);
        when(processor.processingStatus()).thenAnswer(invocation -> {
            statusReads.incrementAndGet();
            return status.get();
        });
        EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
        when(processing.eventProcessor(PROJECTION, StreamingEventProcessor.class)).thenReturn(Optional.of(processor));
        when(engine.lastAppendedHere()).thenReturn(7L);
        positions = new ProjectionPositions(processing, engine, mongo, serializer,
                new SimpleMeterRegistry(), Duration.ofMillis(700));
    }

    @AfterEach
    void stop() {
        positions.destroy();
        client.close();
        store.close();
    }

    @Test
    void an_answer_waits_for_the_batch_that_passes_its_position_and_nothing_polls_meanwhile() throws Exception {
        status.set(Map.of(0, atPosition(3)));

        CompletableFuture<Boolean> answer = positions.handle(new AwaitProjectionQuery(PROJECTION, "call-1", 5L));
        Thread.sleep(300);
        assertThat(answer).isNotDone();
        assertThat(statusReads.get()).as("reads of the processor's status while nothing changed").isLessThan(4);

        status.set(Map.of(0, atPosition(5)));
        positions.batchCommitted();
        assertThat(answer.get(1, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void an_answer_without_a_position_waits_for_the_events_this_node_appended() throws Exception {
        status.set(Map.of(0, atPosition(6)));

        CompletableFuture<Boolean> answer = positions.handle(new AwaitProjectionQuery(PROJECTION, "call-1", null));
        Thread.sleep(100);
        assertThat(answer).isNotDone();

        status.set(Map.of(0, atPosition(7)));
        positions.batchCommitted();
        assertThat(answer.get(1, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void an_answer_already_reached_is_given_at_once() throws Exception {
        status.set(Map.of(0, atPosition(9)));

        assertThat(positions.handle(new AwaitProjectionQuery(PROJECTION, "call-1", 5L)).get(100, TimeUnit.MILLISECONDS))
                .isTrue();
    }

    @Test
    void a_projection_that_does_not_get_there_within_the_bound_answers_false() throws Exception {
        status.set(Map.of(0, atPosition(3)));

        CompletableFuture<Boolean> answer = positions.handle(new AwaitProjectionQuery(PROJECTION, "call-1", 5L));

        assertThat(answer.get(2, TimeUnit.SECONDS)).isFalse();
        assertThat(statusReads.get()).as("reads of the processor's status while waiting for the bound").isLessThan(5);
    }

    @Test
    void a_segment_another_node_holds_is_read_from_the_token_store_until_it_passes() throws Exception {
        MongoTokenStore otherNode = MongoTokenStore.builder().mongoTemplate(mongo).serializer(serializer)
                .nodeId("node-2").build();
        otherNode.initializeTokenSegments(PROJECTION, 1, new GlobalSequenceTrackingToken(3));
        otherNode.fetchToken(PROJECTION, 0);

        CompletableFuture<Boolean> answer = positions.handle(new AwaitProjectionQuery(PROJECTION, "call-1", 5L));
        Thread.sleep(100);
        assertThat(answer).isNotDone();

        otherNode.storeToken(new GlobalSequenceTrackingToken(5), PROJECTION, 0);
        assertThat(answer.get(1, TimeUnit.SECONDS)).isTrue();
    }

    private static EventTrackerStatus atPosition(long position) {
        EventTrackerStatus segment = mock(EventTrackerStatus.class);
        when(segment.getSegment()).thenReturn(Segment.ROOT_SEGMENT);
        when(segment.getTrackingToken()).thenReturn(new GlobalSequenceTrackingToken(position));
        when(segment.isErrorState()).thenReturn(false);
        return segment;
    }
}
