package com.dehive.calling.command.line;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;
import com.dehive.calling.shared.call.CallAcceptedEvent;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallEvent;
import com.dehive.calling.shared.call.CallQualitySampledEvent;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.dehive.calling.shared.call.EndReason;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.spy;

class CallLinesTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    private static final CallId OLD_CALL = CallId.of("old-call");
    private static final CallId NEW_CALL = CallId.of("new-call");

    private final MutableClock clock = new MutableClock(T0);
    private MongoServer server;
    private MongoClient client;
    private EmbeddedEventStore eventStore;
    private CallLines lines;
    /** Another process on the same store (a second node, or this node before a restart). */
    private CallLines otherNode;

    @BeforeEach
    void setUp() {
        server = new MongoServer(new MemoryBackend());
        client = MongoClients.create(server.bindAndGetConnectionString());
        eventStore = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        lines = new CallLines(client.getDatabase("calling"), new EventStoreCallLiveness(eventStore, clock), clock,
                "node-1", false);
        otherNode = new CallLines(client.getDatabase("calling"), new EventStoreCallLiveness(eventStore, clock), clock,
                "node-2", false);
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.shutdownNow();
        eventStore.shutDown();
    }

    @Test
    void a_user_nobody_has_claimed_has_a_free_line() {
        assertThat(lines.holder(ALICE)).isNull();
    }

    @Test
    void a_free_line_is_claimed_by_the_call() {
        assertThat(lines.claim(ALICE, NEW_CALL)).isTrue();

        assertThat(lines.holder(ALICE)).isEqualTo(NEW_CALL);
    }

    @Test
    void claiming_a_line_again_for_the_call_that_holds_it_succeeds() {
        lines.claim(ALICE, NEW_CALL);

        assertThat(lines.claim(ALICE, NEW_CALL)).isTrue();
        assertThat(lines.holder(ALICE)).isEqualTo(NEW_CALL);
    }

    @Test
    void a_line_held_by_a_ringing_call_cannot_be_claimed_by_another_call() {
        recorded(started(OLD_CALL));
        lines.claim(ALICE, OLD_CALL);

        assertThat(lines.claim(ALICE, NEW_CALL)).isFalse();
        assertThat(lines.holder(ALICE)).isEqualTo(OLD_CALL);
    }

    @Test
    void a_line_held_by_a_connected_call_cannot_be_claimed_by_another_call_however_old_the_claim() {
        recorded(started(OLD_CALL), accepted(OLD_CALL));
        lines.claim(ALICE, OLD_CALL);
        clock.advance(Duration.ofHours(2));

        assertThat(lines.claim(ALICE, NEW_CALL)).isFalse();
        assertThat(lines.holder(ALICE)).isEqualTo(OLD_CALL);
    }

    @Test
    void claiming_one_users_line_leaves_the_other_users_lines_alone() {
        lines.claim(ALICE, OLD_CALL);

        assertThat(lines.claim(BOB, NEW_CALL)).isTrue();
        assertThat(lines.holder(ALICE)).isEqualTo(OLD_CALL);
    }

    @Test
    void a_released_line_is_free_for_the_next_call() {
        recorded(started(OLD_CALL));
        lines.claim(ALICE, OLD_CALL);

        lines.release(ALICE, OLD_CALL);

        assertThat(lines.holder(ALICE)).isNull();
        assertThat(lines.claim(ALICE, NEW_CALL)).isTrue();
    }

    @Test
    void a_call_cannot_release_a_line_that_another_call_holds() {
        lines.claim(ALICE, OLD_CALL);

        lines.release(ALICE, NEW_CALL);

        assertThat(lines.holder(ALICE)).isEqualTo(OLD_CALL);
    }

    @Test
    void a_line_whose_call_has_ended_in_the_event_store_is_taken_over() {
        recorded(started(OLD_CALL), accepted(OLD_CALL), ended(OLD_CALL));
        lines.claim(ALICE, OLD_CALL); // the release after that end was lost

        assertThat(lines.claim(ALICE, NEW_CALL)).isTrue();
        assertThat(lines.holder(ALICE)).isEqualTo(NEW_CALL);
    }

    @Test
    void a_line_whose_call_ended_and_then_got_its_closing_quality_samples_is_taken_over() {
        recorded(started(OLD_CALL), accepted(OLD_CALL), ended(OLD_CALL),
                new CallQualitySampledEvent(OLD_CALL, BOB, 40, 3, 0.5, 1.0, 900, 0, true, T0.plusSeconds(64)));
        lines.claim(ALICE, OLD_CALL);

        assertThat(lines.claim(ALICE, NEW_CALL)).isTrue();
        assertThat(lines.holder(ALICE)).isEqualTo(NEW_CALL);
    }

    @Test
    void a_line_whose_call_was_declined_in_the_event_store_is_taken_over() {
        recorded(started(OLD_CALL), new CallDeclinedEvent(OLD_CALL, ALICE, BOB, true, T0));
        lines.claim(ALICE, OLD_CALL);

        assertThat(lines.claim(ALICE, NEW_CALL)).isTrue();
        assertThat(lines.holder(ALICE)).isEqualTo(NEW_CALL);
    }

    @Test
    void a_line_another_node_claimed_less_than_30_seconds_ago_for_a_call_with_no_events_yet_is_live() {
        otherNode.claim(ALICE, OLD_CALL); // the call may still be being started on another node
        clock.advance(Duration.ofSeconds(29));

        assertThat(lines.claim(ALICE, NEW_CALL)).isFalse();
        assertThat(lines.holder(ALICE)).isEqualTo(OLD_CALL);
    }

    @Test
    void a_line_another_node_claimed_for_a_call_that_never_got_an_event_within_30_seconds_is_taken_over() {
        otherNode.claim(ALICE, OLD_CALL); // the node died between claim and append
        clock.advance(Duration.ofSeconds(31));

        assertThat(lines.claim(ALICE, NEW_CALL)).isTrue();
        assertThat(lines.holder(ALICE)).isEqualTo(NEW_CALL);
    }

    @Test
    void a_line_this_process_claimed_for_a_start_that_is_over_without_an_event_is_taken_over_at_once() {
        UnitOfWork<?> start = DefaultUnitOfWork.startAndGet(null);
        lines.claim(ALICE, OLD_CALL);
        start.commit(); // and its events never stored: the crash took them, or the append was refused

        assertThat(lines.claim(ALICE, NEW_CALL)).isTrue();
    }

    @Test
    void a_line_whose_call_this_process_is_starting_right_now_is_live_however_long_it_takes() {
        UnitOfWork<?> start = DefaultUnitOfWork.startAndGet(null);
        lines.claim(ALICE, OLD_CALL);
        clock.advance(Duration.ofMinutes(2));
        CurrentUnitOfWork.clear(start);

        assertThat(lines.claim(ALICE, NEW_CALL)).isFalse();
    }

    @Test
    void a_claim_that_finds_a_line_this_process_has_just_inserted_for_a_start_does_not_take_it() {
        AtomicReference<CallLines> thisProcess = new AtomicReference<>();
        AtomicReference<Boolean> rivalClaimed = new AtomicReference<>();
        AtomicBoolean rivalled = new AtomicBoolean();
        // the rival runs between the insert of the start's line and the insert's return, the narrowest window
        Runnable rivalClaim = () -> {
            if (rivalled.compareAndSet(false, true)) {
                Thread rival = new Thread(() -> rivalClaimed.set(thisProcess.get().claim(ALICE, NEW_CALL)));
                rival.start();
                try {
                    rival.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        thisProcess.set(new CallLines(afterEachInsert(client.getDatabase("calling"), rivalClaim),
                new EventStoreCallLiveness(eventStore, clock), clock, "node-1", false));
        UnitOfWork<?> start = DefaultUnitOfWork.startAndGet(null);

        assertThat(thisProcess.get().claim(ALICE, OLD_CALL)).isTrue();
        start.commit();

        assertThat(rivalClaimed.get()).isFalse();
        assertThat(lines.holder(ALICE)).isEqualTo(OLD_CALL);
    }

    @Test
    void with_the_store_in_this_process_a_line_an_earlier_process_claimed_for_a_call_with_no_events_is_free() {
        CallLines onlyWriter = new CallLines(client.getDatabase("calling"),
                new EventStoreCallLiveness(eventStore, clock), clock, "node-1-restarted", true);
        otherNode.claim(ALICE, OLD_CALL); // this node before its restart, cut short between claim and append

        assertThat(onlyWriter.claim(ALICE, NEW_CALL)).isTrue();
    }

    @Test
    void a_release_after_commit_waits_for_the_unit_of_work_to_commit() {
        lines.claim(ALICE, OLD_CALL);
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);

        lines.releaseAfterCommit(OLD_CALL, ALICE);
        CallId heldDuringTheUnitOfWork = lines.holder(ALICE);
        unitOfWork.commit();

        assertThat(heldDuringTheUnitOfWork).isEqualTo(OLD_CALL);
        assertThat(lines.holder(ALICE)).isNull();
    }

    @Test
    void a_release_after_commit_does_not_happen_when_the_unit_of_work_rolls_back() {
        lines.claim(ALICE, OLD_CALL);
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);

        lines.releaseAfterCommit(OLD_CALL, ALICE);
        unitOfWork.rollback();

        assertThat(lines.holder(ALICE)).isEqualTo(OLD_CALL);
    }

    @Test
    void a_release_after_commit_outside_a_unit_of_work_frees_the_lines_at_once() {
        lines.claim(ALICE, OLD_CALL);
        lines.claim(BOB, OLD_CALL);

        lines.releaseAfterCommit(OLD_CALL, ALICE, BOB);

        assertThat(lines.holder(ALICE)).isNull();
        assertThat(lines.holder(BOB)).isNull();
    }

    @Test
    void lines_claimed_in_a_unit_of_work_that_rolls_back_are_given_back() {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        lines.claim(ALICE, NEW_CALL);
        lines.claim(BOB, NEW_CALL);

        lines.releaseOnRollback(NEW_CALL, ALICE, BOB);
        unitOfWork.rollback();

        assertThat(lines.holder(ALICE)).isNull();
        assertThat(lines.holder(BOB)).isNull();
    }

    @Test
    void lines_claimed_in_a_unit_of_work_that_commits_are_kept() {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        lines.claim(ALICE, NEW_CALL);

        lines.releaseOnRollback(NEW_CALL, ALICE);
        unitOfWork.commit();

        assertThat(lines.holder(ALICE)).isEqualTo(NEW_CALL);
    }

    /** The database, whose line inserts run {@code hook} once stored, before the insert returns. */
    private static MongoDatabase afterEachInsert(MongoDatabase database, Runnable hook) {
        MongoCollection<Document> lines = spy(database.getCollection(CallLines.COLLECTION));
        doAnswer(insert -> {
            Object inserted = insert.callRealMethod();
            hook.run();
            return inserted;
        }).when(lines).insertOne(any(Document.class));
        MongoDatabase withHook = spy(database);
        doReturn(lines).when(withHook).getCollection(CallLines.COLLECTION);
        return withHook;
    }

    private void recorded(CallEvent... events) {
        for (int sequence = 0; sequence < events.length; sequence++) {
            CallEvent event = events[sequence];
            eventStore.publish(new GenericDomainEventMessage<>("Call", event.callId().toString(), sequence, event));
        }
    }

    private static CallStartedEvent started(CallId call) {
        return new CallStartedEvent(call, UserProfile.idOnly(ALICE), BOB, true, true, T0, false);
    }

    private static CallAcceptedEvent accepted(CallId call) {
        return new CallAcceptedEvent(call, ALICE, UserProfile.idOnly(BOB), true, true, T0.plusSeconds(3));
    }

    private static CallEndedEvent ended(CallId call) {
        return new CallEndedEvent(call, ALICE, BOB, ALICE, EndReason.USER_HANGUP, 60L, true, T0.plusSeconds(63));
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
