package com.dehive.calling.eventstore.config;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The event stream's reader, woken once for the appends of a few milliseconds rather than after each. */
class CoalescingEventStoreTest {

    /** Long enough that no test passes by the reader's own polling. */
    private static final long FETCH_DELAY_MS = 60_000;

    private final StoreReads engine = new StoreReads();
    private CoalescingEventStore store;

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    @Test
    void an_append_reaches_readers_after_the_notify_delay_not_the_fetch_delay() throws Exception {
        store = storeWithNotifyDelay(Duration.ofMillis(20));
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
            // nothing stored yet: the stream has nothing to catch up on and waits on the store's reader
            assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).isFalse();
            store.publish(GenericEventMessage.asEventMessage("first"));

            assertThat(stream.hasNextAvailable(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("first");
        }
    }

    @Test
    void appends_within_the_notify_delay_are_read_together() throws Exception {
        store = storeWithNotifyDelay(Duration.ofSeconds(2));
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
            // nothing stored yet: the stream has nothing to catch up on and waits on the store's reader
            assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).isFalse();
            int readsBefore = engine.readsByTheStoreReader.get();

            // appends a few milliseconds apart, as commands commit them, all within one notify delay
            for (int i = 0; i < 20; i++) {
                store.publish(GenericEventMessage.asEventMessage("event-" + i));
                Thread.sleep(10);
            }
            List<Object> read = new ArrayList<>();
            while (read.size() < 20 && stream.hasNextAvailable(10, TimeUnit.SECONDS)) {
                read.add(stream.nextAvailable().getPayload());
            }

            assertThat(read).hasSize(20).startsWith("event-0").endsWith("event-19");
            // one wake-up (two if the appends straddled one), each a read that finds events and one that finds none;
            // woken after every append, the reader read about once per append
            assertThat(engine.readsByTheStoreReader.get() - readsBefore).isBetween(1, 4);
        }
    }

    private CoalescingEventStore storeWithNotifyDelay(Duration notifyDelay) {
        return new CoalescingEventStore(EmbeddedEventStore.builder().storageEngine(engine).fetchDelay(FETCH_DELAY_MS),
                notifyDelay);
    }

    /**
     * An in-memory engine whose every read is a query of what is stored at that moment, as with MongoDB (the plain
     * one hands out a live view), counting the reads of the store's own reader thread.
     */
    private static final class StoreReads extends InMemoryEventStorageEngine {

        final AtomicInteger readsByTheStoreReader = new AtomicInteger();

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
            if (Thread.currentThread().getName().startsWith("EmbeddedEventStore")) {
                readsByTheStoreReader.incrementAndGet();
            }
            return super.readEvents(trackingToken, mayBlock).toList().stream();
        }
    }
}
