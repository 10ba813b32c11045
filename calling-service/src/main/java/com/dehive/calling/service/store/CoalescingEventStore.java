package com.dehive.calling.service.store;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Axon's embedded event store, whose reader of the stored stream is woken at most once per {@code notifyDelay}
 * after appends, instead of after each one.
 *
 * <p>Every tracking processor reads through that one reader. Woken per append, it queried the store about twice
 * per event under load (each query also reads the last second's events again, to skip those it has seen), and
 * each processor handled the few new events as a batch of their own and stored its token after it. Waking it
 * once for the appends of a few milliseconds makes those queries, batches and token writes a few times fewer, for
 * that much more delay before projections and socket notifications see an event. With no append it still polls
 * at Axon's fetch delay, which is what picks up other nodes' events.
 */
final class CoalescingEventStore extends EmbeddedEventStore {

    private final Duration notifyDelay;
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private final ScheduledExecutorService waker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-store-waker");
        thread.setDaemon(true);
        return thread;
    });

    CoalescingEventStore(Builder builder, Duration notifyDelay) {
        super(builder);
        this.notifyDelay = notifyDelay;
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        if (notifyDelay.isZero()) {
            super.afterCommit(events);
        } else if (wakeUpPending.compareAndSet(false, true)) {
            try {
                waker.schedule(this::wakeReader, notifyDelay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down: the reader stops too, and the append itself is stored
            }
        }
    }

    private void wakeReader() {
        // cleared first: an append committed while the reader is being woken schedules the next wake-up
        wakeUpPending.set(false);
        super.afterCommit(List.of());
    }

    @Override
    public void shutDown() {
        waker.shutdownNow();
        super.shutDown();
    }
}
