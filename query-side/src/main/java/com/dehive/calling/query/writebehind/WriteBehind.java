package com.dehive.calling.query.writebehind;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * A tracking processor's batch writes and token writes, sent in order on a thread of their own (a lane per segment),
 * so that the processor reads and handles its next batch while the store applies the one before. A rebuild waited
 * for each batch's writes half of its time.
 *
 * <p>What keeps a crash or a failed write from losing a batch: a lane runs its tasks one after the other, and the
 * processor's token for a batch is a task queued after that batch's writes ({@link WriteBehindTokenStore}), so the
 * stored token never passes a write that has not been applied. After a write fails, the lane skips everything queued
 * behind it and fails the processor's next call, which makes Axon release the segment and read its token again: the
 * token of the last batch that was written. Handlers set what their event says, so a batch handled twice is harmless.
 */
@Component
public class WriteBehind implements DisposableBean {

    /** Batches a lane may hold before the processor waits: one being applied, one queued behind it. */
    private static final int BATCHES_IN_FLIGHT = 2;
    /** A batch queues at most its writes, its token and its replay count. */
    private static final int TASKS_PER_BATCH = 3;
    private static final int TASKS_IN_FLIGHT = BATCHES_IN_FLIGHT * TASKS_PER_BATCH;

    private static final Logger log = LoggerFactory.getLogger(WriteBehind.class);

    private final Map<Key, Lane> lanes = new ConcurrentHashMap<>();

    /**
     * The lane of the tracking processor's segment whose batch {@code unitOfWork} is, opened on first use; null when
     * the unit of work is not a batch of that processor.
     */
    public Lane laneOf(String processor, UnitOfWork<?> unitOfWork) {
        Integer segment = segmentOf(processor, unitOfWork);
        return segment == null ? null : lanes.computeIfAbsent(new Key(processor, segment), Lane::new);
    }

    /** The segment's lane, if a batch of it has used one. */
    Lane existingLane(String processor, int segment) {
        return lanes.get(new Key(processor, segment));
    }

    /** Whether the current thread is handling a batch of that processor's segment. */
    static boolean inBatchOf(String processor, int segment) {
        return CurrentUnitOfWork.isStarted()
                && Objects.equals(segmentOf(processor, CurrentUnitOfWork.get()), segment);
    }

    /** True once every lane of the processor has applied what was queued on it. */
    public boolean isIdle(String processor) {
        return lanes.values().stream().filter(lane -> lane.key.processor().equals(processor)).allMatch(Lane::isIdle);
    }

    /**
     * Runs {@code action} once what the batch queued on its lane has been applied, or now if it queued nothing; never
     * if a write queued before it failed.
     */
    public void afterWritten(String processor, UnitOfWork<?> unitOfWork, Runnable action) {
        Integer segment = segmentOf(processor, unitOfWork);
        Lane lane = segment == null ? null : existingLane(processor, segment);
        if (lane == null) {
            action.run();
            return;
        }
        try {
            lane.submit(action);
        } catch (RuntimeException failedBefore) {
            // a write queued before failed, so this batch's writes are skipped too: there is nothing to act on
        }
    }

    /**
     * The segment a tracking processor puts among its batch's resources, under the key Axon's
     * {@code TrackingEventProcessor} names it by. Should a later Axon name it otherwise, no lane opens and every
     * write is made in the batch, as without this class.
     */
    private static Integer segmentOf(String processor, UnitOfWork<?> unitOfWork) {
        return unitOfWork.getResource("Processor[" + processor + "]/SegmentId");
    }

    @Override
    public void destroy() {
        // processors drain their lanes when they release their segments, before the application context closes
        lanes.values().forEach(lane -> lane.writer.shutdown());
    }

    private record Key(String processor, int segment) {
    }

    /** One segment's queue of writes, run in order on its own thread. */
    public static final class Lane {

        private final Key key;
        private final ExecutorService writer;
        private final Semaphore room = new Semaphore(TASKS_IN_FLIGHT);
        /** The failure of a queued task; set on the lane's thread, cleared by {@link #drainAndForgetFailure()}. */
        private volatile Throwable failure;

        private Lane(Key key) {
            this.key = key;
            this.writer = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "write-behind-" + key.processor() + "-" + key.segment());
                thread.setDaemon(true);
                return thread;
            });
        }

        /**
         * Queues a task behind what is queued already, waiting while the lane is full.
         *
         * @throws RuntimeException the failure of a task queued before, so that the processor handles its batches
         *                          again from its stored token
         */
        public void submit(Runnable task) {
            throwFailure();
            try {
                room.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the store to apply earlier batches", e);
            }
            writer.execute(() -> {
                try {
                    if (failure == null) {
                        task.run();
                    }
                } catch (RuntimeException | Error e) {
                    failure = e;
                    log.warn("event=write_behind_failed processor={} segment={} error={}", key.processor(),
                            key.segment(), e.toString());
                } finally {
                    room.release();
                }
            });
        }

        /** Fails fast, without waiting, when a queued task has failed. */
        void throwFailure() {
            Throwable failed = failure;
            if (failed instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failed instanceof Error error) {
                throw error;
            }
        }

        /** Waits until everything queued so far has been applied (or skipped after a failure). */
        void drain() {
            Future<?> done = writer.submit(() -> { });
            try {
                done.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the store to apply earlier batches", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("an empty task failed", e.getCause());
            }
        }

        /**
         * Drains the lane and forgets a failure: called where the processor starts again from its stored token, which
         * covers exactly the batches that were written.
         */
        void drainAndForgetFailure() {
            drain();
            failure = null;
        }

        private boolean isIdle() {
            return room.availablePermits() == TASKS_IN_FLIGHT;
        }
    }
}
