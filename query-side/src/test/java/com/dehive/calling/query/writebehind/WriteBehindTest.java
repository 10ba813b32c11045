package com.dehive.calling.query.writebehind;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A processor's batches as Axon's tracking processor runs them: the writes go on the segment's lane at the end of the
 * batch, and the processor stores its token when the batch commits.
 */
class WriteBehindTest {

    private static final String PROCESSOR = "call-history";

    private final WriteBehind writeBehind = new WriteBehind();
    private final InMemoryTokenStore stored = new InMemoryTokenStore();
    private final WriteBehindTokenStore tokens = new WriteBehindTokenStore(stored, writeBehind);
    /** What the store has applied, in order. */
    private final List<String> applied = new CopyOnWriteArrayList<>();

    WriteBehindTest() {
        stored.initializeTokenSegments(PROCESSOR, 1);
        stored.fetchToken(PROCESSOR, 0); // this node claims the segment
    }

    @AfterEach
    void stopLanes() {
        writeBehind.destroy();
    }

    @Test
    void a_batch_token_is_stored_after_its_writes_while_the_processor_goes_on() throws Exception {
        CountDownLatch storeBusy = new CountDownLatch(1);

        batch(1, () -> {
            await(storeBusy);
            applied.add("writes of batch 1");
        });

        // the batch has committed, its writes are still being applied: the token stays where it was
        assertThat(applied).isEmpty();
        assertThat(stored.fetchToken(PROCESSOR, 0)).isNull();

        storeBusy.countDown();
        batch(2, () -> applied.add("writes of batch 2"));
        writeBehind.existingLane(PROCESSOR, 0).drain();

        assertThat(applied).containsExactly("writes of batch 1", "writes of batch 2");
        assertThat(stored.fetchToken(PROCESSOR, 0)).isEqualTo(position(2));
    }

    @Test
    void after_a_failed_write_nothing_queued_behind_it_is_applied_and_the_token_stays_before_it() {
        CountDownLatch storeBusy = new CountDownLatch(1);
        batch(1, () -> applied.add("writes of batch 1"));
        batch(2, () -> {
            await(storeBusy);
            throw new IllegalStateException("the store refused the writes of batch 2");
        });
        batch(3, () -> applied.add("writes of batch 3"));
        storeBusy.countDown();
        writeBehind.existingLane(PROCESSOR, 0).drain();

        // the processor's next batch fails, and so does its claim: Axon releases the segment and starts again
        assertThatThrownBy(() -> batch(4, () -> applied.add("writes of batch 4")))
                .hasMessage("the store refused the writes of batch 2");
        assertThatThrownBy(() -> tokens.extendClaim(PROCESSOR, 0))
                .hasMessage("the store refused the writes of batch 2");
        assertThat(applied).containsExactly("writes of batch 1");

        tokens.releaseClaim(PROCESSOR, 0);
        assertThat(tokens.fetchToken(PROCESSOR, 0)).isEqualTo(position(1));
        batch(2, () -> applied.add("writes of batch 2, again"));
        writeBehind.existingLane(PROCESSOR, 0).drain();
        assertThat(applied).containsExactly("writes of batch 1", "writes of batch 2, again");
        assertThat(stored.fetchToken(PROCESSOR, 0)).isEqualTo(position(2));
    }

    @Test
    void what_waits_for_a_batch_to_be_written_runs_after_its_writes_and_never_after_a_failed_one() {
        CountDownLatch storeBusy = new CountDownLatch(1);
        batch(1, () -> {
            await(storeBusy);
            applied.add("writes of batch 1");
        }, () -> applied.add("batch 1 counted"));
        batch(2, () -> {
            throw new IllegalStateException("the store refused the writes of batch 2");
        }, () -> applied.add("batch 2 counted"));

        assertThat(applied).isEmpty();
        storeBusy.countDown();
        writeBehind.existingLane(PROCESSOR, 0).drain();
        assertThat(applied).containsExactly("writes of batch 1", "batch 1 counted");
        assertThat(writeBehind.isIdle(PROCESSOR)).isTrue();
    }

    @Test
    void releasing_the_segment_waits_for_the_queued_writes() {
        CountDownLatch storeBusy = new CountDownLatch(1);
        batch(1, () -> {
            await(storeBusy);
            applied.add("writes of batch 1");
        });

        CompletableFuture<Void> release = CompletableFuture.runAsync(() -> tokens.releaseClaim(PROCESSOR, 0));
        assertThat(release).failsWithin(Duration.ofMillis(200)).withThrowableThat()
                .isInstanceOf(TimeoutException.class);

        storeBusy.countDown();
        assertThat(release).succeedsWithin(Duration.ofSeconds(5));
        assertThat(applied).containsExactly("writes of batch 1");
        assertThat(stored.fetchToken(PROCESSOR, 0)).isEqualTo(position(1));
    }

    @Test
    void a_token_stored_outside_a_batch_waits_for_the_queued_writes() {
        CountDownLatch storeBusy = new CountDownLatch(1);
        batch(1, () -> {
            await(storeBusy);
            applied.add("writes of batch 1");
        });
        CompletableFuture.runAsync(storeBusy::countDown, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));

        // as the processor stores its position past events no handler takes
        tokens.storeToken(position(5), PROCESSOR, 0);

        assertThat(applied).containsExactly("writes of batch 1");
        assertThat(stored.fetchToken(PROCESSOR, 0)).isEqualTo(position(5));
    }

    @Test
    void outside_a_tracking_processor_there_is_no_lane_and_tokens_pass_straight_through() {
        BatchingUnitOfWork<EventMessage<?>> notABatchOfAProcessor =
                new BatchingUnitOfWork<>(GenericEventMessage.asEventMessage("event"));

        assertThat(writeBehind.laneOf(PROCESSOR, notABatchOfAProcessor)).isNull();
        tokens.storeToken(position(7), PROCESSOR, 0);
        assertThat(stored.fetchToken(PROCESSOR, 0)).isEqualTo(position(7));
        assertThat(writeBehind.isIdle(PROCESSOR)).isTrue();
    }

    /**
     * One batch of the processor's segment 0, ending at {@code position}: its writes go on the lane after the last
     * event (as the call history's batched writes do), its token when it commits (as Axon's processor does).
     */
    private void batch(long position, Runnable writes) {
        batch(position, writes, () -> { });
    }

    /** A batch as above, with an action to run once it is written, as the replay counter registers one. */
    private void batch(long position, Runnable writes, Runnable onceWritten) {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(
                GenericEventMessage.asEventMessage("event " + position));
        batch.resources().put("Processor[" + PROCESSOR + "]/SegmentId", 0);
        batch.onPrepareCommit(unitOfWork -> tokens.storeToken(position(position), PROCESSOR, 0));
        batch.afterCommit(unitOfWork -> writeBehind.afterWritten(PROCESSOR, unitOfWork, onceWritten));
        var result = batch.executeWithResult(() -> {
            writeBehind.laneOf(PROCESSOR, batch).submit(writes);
            return null;
        });
        if (result.isExceptional()) {
            throw (RuntimeException) result.exceptionResult();
        }
    }

    private static TrackingToken position(long position) {
        return new GlobalSequenceTrackingToken(position);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
