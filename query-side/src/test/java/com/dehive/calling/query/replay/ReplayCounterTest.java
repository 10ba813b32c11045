package com.dehive.calling.query.replay;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The rebuild's progress counts what a batch has stored, not what its handlers have seen. */
class ReplayCounterTest {

    private final AtomicLong counted = new AtomicLong();
    private final ProjectionReplayer.ReplayCounter counter =
            new ProjectionReplayer.ReplayCounter(counted::addAndGet);

    @Test
    void replayed_events_count_once_their_batch_has_committed() throws Exception {
        List<Long> countedWhileHandling = new ArrayList<>();
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(replayed(1), replayed(2), replayed(3));

        batch.executeWithResult(() -> {
            Object result = chain(batch, message -> null).proceed();
            countedWhileHandling.add(counted.get());
            return result;
        });

        assertThat(countedWhileHandling).containsExactly(0L, 0L, 0L);
        assertThat(counted).hasValue(3);
    }

    @Test
    void a_batch_that_fails_counts_nothing() {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(replayed(1), replayed(2), replayed(3));

        ResultMessage<?> result = batch.executeWithResult(() -> chain(batch, message -> {
            if (((TrackedEventMessage<?>) message).trackingToken().position().orElseThrow() == 3) {
                throw new IllegalStateException("the store refused the batch's writes");
            }
            return null;
        }).proceed(), RollbackConfigurationType.ANY_THROWABLE);

        assertThat(result.isExceptional()).isTrue();
        assertThat(batch.isRolledBack()).isTrue();
        assertThat(counted).hasValue(0);
    }

    @Test
    void live_events_are_not_counted() throws Exception {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(
                new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(1), GenericEventMessage.asEventMessage("live")));

        batch.executeWithResult(() -> chain(batch, message -> null).proceed());

        assertThat(counted).hasValue(0);
    }

    private DefaultInterceptorChain<EventMessage<?>> chain(BatchingUnitOfWork<EventMessage<?>> batch,
                                                       MessageHandler<EventMessage<?>> handler) {
        return new DefaultInterceptorChain<>(batch, List.of(counter), handler);
    }

    /** An event the processor replays: its position is before the position at reset. */
    private static TrackedEventMessage<?> replayed(long position) {
        TrackingToken token = ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(100),
                new GlobalSequenceTrackingToken(position));
        return new GenericTrackedEventMessage<>(token, GenericEventMessage.asEventMessage("event " + position));
    }
}
