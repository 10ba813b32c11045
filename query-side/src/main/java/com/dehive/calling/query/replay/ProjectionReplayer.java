package com.dehive.calling.query.replay;

import com.dehive.calling.query.analytics.CallAnalyticsProjection;
import com.dehive.calling.query.conversation.ConversationMessageProjection;
import com.dehive.calling.query.history.CallHistoryProjection;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.replay.FindReplayProgressQuery;
import com.dehive.calling.shared.replay.ReplayProgressView;
import com.dehive.calling.shared.replay.ReplayProjectionCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Rebuilds a projection from the event store, in place: its processor is stopped, its tokens are reset to replay
 * every event, and it is started again; it then replays on its own threads while the service keeps answering from
 * the read model as it is. Nothing is deleted first: every handler sets what its event says and a call's start
 * rewrites the call's whole record, so a crash at any point of a rebuild leaves a processor that replays again from
 * its stored replay token, over a read model that stays whole. Socket notifications are not a projection and are
 * never replayed; conversation messages are, and post nothing twice.
 */
@Component
public class ProjectionReplayer {

    static final List<String> REPLAYABLE = List.of(CallHistoryProjection.PROCESSING_GROUP,
            CallAnalyticsProjection.PROCESSING_GROUP, ConversationMessageProjection.PROCESSING_GROUP);
    private static final Logger log = LoggerFactory.getLogger(ProjectionReplayer.class);

    private final EventProcessingConfiguration processors;
    private final EventStore events;
    private final Map<String, Replay> replays = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    public ProjectionReplayer(@Lazy EventProcessingConfiguration processors, @Lazy EventStore events) {
        this.processors = processors;
        this.events = events;
    }

    @CommandHandler
    public synchronized ReplayProgressView handle(ReplayProjectionCommand command) {
        StreamingEventProcessor processor = processorOf(command.projection());
        Replay current = replays.get(command.projection());
        if (current != null && !isDone(current, processor)) {
            throw new CallingException(ErrorCode.REPLAY_IN_PROGRESS,
                    "A rebuild of " + command.projection() + " is already running");
        }
        long newestAtStart = events.createHeadToken().position().orElse(-1);
        Replay replay = new Replay(clock.instant(), newestAtStart);
        processor.shutDown();
        try {
            processor.resetTokens();
        } catch (UnableToClaimTokenException e) {
            processor.start();
            throw new CallingException(ErrorCode.REPLAY_IN_PROGRESS,
                    "Another node holds " + command.projection() + " right now; try again in a few seconds");
        }
        replays.put(command.projection(), replay);
        processor.start();
        log.info("event=projection_replay_started projection={} events_in_store={}", command.projection(),
                replay.eventsInStore());
        return progress(command.projection(), replay, processor);
    }

    @QueryHandler
    public ReplayProgressView handle(FindReplayProgressQuery query) {
        StreamingEventProcessor processor = processorOf(query.projection());
        Replay replay = replays.get(query.projection());
        if (replay == null) {
            return new ReplayProgressView(query.projection(), "idle", 0, 0, 0, false, null, null);
        }
        return progress(query.projection(), replay, processor);
    }

    /** Counts the events a projection has replayed and written. */
    void counted(String projection, long events) {
        Replay replay = replays.get(projection);
        if (replay != null) {
            replay.processed.addAndGet(events);
        }
    }

    private ReplayProgressView progress(String projection, Replay replay, StreamingEventProcessor processor) {
        boolean done = isDone(replay, processor);
        Instant finishedAt = done ? replay.finishedAt(clock.instant()) : null;
        Instant until = done ? finishedAt : clock.instant();
        double seconds = Math.max(Duration.between(replay.startedAt, until).toMillis(), 1) / 1000.0;
        long processed = replay.processed.get();
        return new ReplayProgressView(projection, done ? "done" : "running", processed, replay.eventsInStore(),
                Math.round(processed / seconds * 10) / 10.0, done, replay.startedAt, finishedAt);
    }

    /**
     * Done once every segment has replayed up to the newest event that was in the store when the rebuild began, and
     * has nothing left. A segment's position counts what its committed batches wrote.
     */
    private boolean isDone(Replay replay, StreamingEventProcessor processor) {
        if (replay.finishedAt != null) {
            return true;
        }
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        // before the processor has claimed its segments again there is no status yet: still starting
        // still "replaying" by Axon's account until an event newer than the reset comes: that may take a while
        return !status.isEmpty() && status.values().stream().allMatch(segment -> segment.isCaughtUp()
                && segment.getCurrentPosition().orElse(-1) >= replay.newestAtStart);
    }

    private StreamingEventProcessor processorOf(String projection) {
        if (!REPLAYABLE.contains(projection)) {
            throw new CallingException(ErrorCode.NOT_FOUND,
                    "No projection named " + projection + "; rebuildable: " + String.join(", ", REPLAYABLE));
        }
        return processors.eventProcessor(projection, StreamingEventProcessor.class).orElseThrow(() ->
                new CallingException(ErrorCode.NOT_FOUND, "The projection " + projection + " is not running here"));
    }

    private static final class Replay {
        private final Instant startedAt;
        private final long newestAtStart;
        private final AtomicLong processed = new AtomicLong();
        private volatile Instant finishedAt;

        Replay(Instant startedAt, long newestAtStart) {
            this.startedAt = startedAt;
            this.newestAtStart = newestAtStart;
        }

        /** Positions start at 0 and have no gaps: the newest one says how many events there are. */
        long eventsInStore() {
            return newestAtStart + 1;
        }

        Instant finishedAt(Instant now) {
            if (finishedAt == null) {
                finishedAt = now;
            }
            return finishedAt;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ReplayCountingConfig {

        @Bean
        ConfigurerModule replayCounting(@Lazy ProjectionReplayer replayer) {
            return configurer -> REPLAYABLE.forEach(projection -> configurer.eventProcessing()
                    .registerHandlerInterceptor(projection, config -> new ReplayCounter(
                            events -> replayer.counted(projection, events))));
        }
    }

    /**
     * Counts a batch's replayed events once the batch has committed. Counting as each event was handled ran ahead
     * of the read model, and a batch that failed and was handled again counted twice.
     */
    record ReplayCounter(LongConsumer count) implements MessageHandlerInterceptor<EventMessage<?>> {

        private static final String REPLAYED = ReplayCounter.class.getName() + ".replayed";

        @Override
        public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain)
                throws Exception {
            Object result = chain.proceed();
            if (ReplayToken.isReplay(unitOfWork.getMessage())) {
                AtomicLong replayed = unitOfWork.getOrComputeResource(REPLAYED, key -> {
                    AtomicLong events = new AtomicLong();
                    unitOfWork.afterCommit(committed -> count.accept(events.get()));
                    return events;
                });
                replayed.incrementAndGet();
            }
            return result;
        }
    }
}
