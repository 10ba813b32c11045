package com.dehive.calling.command.deadline;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.ScopeAware;
import org.axonframework.messaging.ScopeDescriptor;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateScopeDescriptor;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Deadlines kept in MongoDB: on time, cancellable, and fired once however many nodes share the store. */
class MongoDeadlineManagerTest {

    private MongoServer server;
    private MongoClient client;
    private MongoDatabase database;
    private final Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();
    private final Map<String, Instant> firedAt = new ConcurrentHashMap<>();

    /** Stands for the aggregates: counts the deadlines sent to each scope. */
    private final ScopeAware aggregates = new ScopeAware() {
        @Override
        public void send(Message<?> message, ScopeDescriptor scope) {
            String id = ((AggregateScopeDescriptor) scope).getIdentifier().toString();
            fired.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
            firedAt.putIfAbsent(id, Instant.now());
            assertThat(message).isInstanceOf(DeadlineMessage.class);
        }

        @Override
        public boolean canResolve(ScopeDescriptor scope) {
            return scope instanceof AggregateScopeDescriptor;
        }
    };

    @BeforeEach
    void store() {
        server = new MongoServer(new MemoryBackend());
        client = MongoClients.create(server.bindAndGetConnectionString());
        database = client.getDatabase("deadlines-test");
    }

    @AfterEach
    void close() {
        client.close();
        server.shutdownNow();
    }

    private MongoDeadlineManager node(String name) {
        return node(name, Duration.ofMillis(200));
    }

    private MongoDeadlineManager node(String name, Duration pollInterval) {
        return new MongoDeadlineManager(database, scope -> Stream.of(aggregates),
                JacksonSerializer.defaultSerializer(), NoTransactionManager.INSTANCE, name, pollInterval,
                Duration.ofSeconds(30), Duration.ofSeconds(1), Clock.systemUTC());
    }

    @Test
    void a_deadline_fires_when_due_on_the_node_that_set_it_not_at_its_next_poll() {
        MongoDeadlineManager node = node("a", Duration.ofSeconds(20)); // polls once at start, then not for 20 s
        node.start();
        Instant due = Instant.now().plusMillis(500);
        node.schedule(due, "ring-timeout", "payload", new AggregateScopeDescriptor("Call", "call-1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> fired.containsKey("call-1"));
        assertThat(firedAt.get("call-1")).isAfterOrEqualTo(due.minusMillis(5)); // not early (clocks round to ms)
        assertThat(node.pending()).isZero();
        node.shutdown();
    }

    @Test
    void a_cancelled_deadline_never_fires() throws InterruptedException {
        MongoDeadlineManager node = node("a");
        node.start();
        node.schedule(Instant.now().plusMillis(300), "ring-timeout", null, new AggregateScopeDescriptor("Call", "c"));
        node.cancelAllWithinScope("ring-timeout", new AggregateScopeDescriptor("Call", "c"));
        Thread.sleep(800);
        assertThat(fired).isEmpty();
        node.shutdown();
    }

    @Test
    void deadlines_that_fell_due_while_no_node_ran_fire_when_one_starts() {
        MongoDeadlineManager before = node("before-crash");
        before.schedule(Instant.now().minusSeconds(5), "ring-timeout", null,
                new AggregateScopeDescriptor("Call", "overdue"));
        before.shutdown(); // never started: as if it died right after scheduling

        MongoDeadlineManager after = node("after-restart");
        after.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> fired.containsKey("overdue"));
        after.shutdown();
    }

    @Test
    void two_nodes_sharing_the_store_fire_each_deadline_exactly_once() {
        MongoDeadlineManager first = node("node-1");
        MongoDeadlineManager second = node("node-2");
        Instant due = Instant.now().plusMillis(700);
        for (int i = 0; i < 100; i++) {
            (i % 2 == 0 ? first : second).schedule(due, "ring-timeout", null,
                    new AggregateScopeDescriptor("Call", "call-" + i));
        }
        first.start();
        second.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> fired.size() == 100);
        await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(fired.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(first.pending() + second.pending()).isZero();
        List.of(first, second).forEach(MongoDeadlineManager::shutdown);
    }

    @Test
    void a_deadline_is_stored_when_it_is_scheduled_before_its_unit_of_work_commits_and_taken_back_if_it_fails() {
        MongoDeadlineManager deadlines = node("node-1");
        var kept = DefaultUnitOfWork.startAndGet(null);
        deadlines.schedule(Duration.ofMinutes(5), "ring-timeout", null,
                new AggregateScopeDescriptor("Call", "call-kept"));
        // stored already: a unit of work's events come after its deadlines
        assertThat(deadlines.pending()).isEqualTo(1);
        kept.commit();
        assertThat(deadlines.pending()).isEqualTo(1);

        var failed = DefaultUnitOfWork.startAndGet(null);
        deadlines.schedule(Duration.ofMinutes(5), "ring-timeout", null,
                new AggregateScopeDescriptor("Call", "call-refused"));
        assertThat(deadlines.pending()).isEqualTo(2);
        failed.rollback(new IllegalStateException("the event store refused the events"));
        assertThat(deadlines.pending()).isEqualTo(1);
        deadlines.shutdown();
    }
}
