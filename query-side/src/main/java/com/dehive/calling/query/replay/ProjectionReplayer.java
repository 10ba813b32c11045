package com.dehive.calling.query.replay;

import com.dehive.calling.query.analytics.CallAnalyticsProjection;
import com.dehive.calling.query.conversation.ConversationMessageProjection;
import com.dehive.calling.query.history.CallHistoryProjection;
import com.dehive.calling.query.writebehind.WriteBehind;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.replay.FindReplayProgressQuery;
import com.dehive.calling.shared.replay.ReplayProgressView;
import com.dehive.calling.shared.replay.ReplayProjectionCommand;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoTrackingToken;
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
 * Rebuilds a projection from the event store: its tracking processor is stopped, its tokens reset (its reset
 * handler clears the read model) and started again; it then replays every event on its own thread while the
 * service keeps answering. Socket notifications are not a projection and are never replayed; conversation messages
 * are, and post nothing twice.
 */
@Component
public class ProjectionReplayer {

    static final List<String> REPLAYABLE = List.of(CallHistoryProjection.PROCESSING_GROUP,
            CallAnalyticsProjection.PROCESSING_GROUP, ConversationMessageProjection.PROCESSING_GROUP);
    private static final Logger log = LoggerFactory.getLogger(ProjectionReplayer.class);
    /** axon-mongo's event collection (one document per event, its timestamp an ISO-8601 string). */
    private static final String EVENTS = "domainevents";

    private final EventProcessingConfiguration processors;
    private final EventStore events;
    private final MongoDatabase database;
    private final TokenStore tokens;
    private final WriteBehind writeBehind;
    private final Map<String, Replay> replays = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    public ProjectionReplayer(@Lazy EventProcessingConfiguration processors, @Lazy EventStore events,
                              MongoDatabase database, @Lazy TokenStore tokens, WriteBehind writeBehind) {
        this.processors = processors;
        this.events = events;
        this.database = database;
        this.tokens = tokens;
        this.writeBehind = writeBehind;
    }

    @CommandHandler
    public synchronized ReplayProgressView handle(ReplayProjectionCommand command) {
        TrackingEventProcessor processor = processorOf(command.projection());
        Replay current = replays.get(command.projection());
        if (current != null && !isDone(current, processor)) {
            throw new CallingException(ErrorCode.REPLAY_IN_PROGRESS,
                    "A rebuild of " + command.projection() + " is already running");
        }
        long eventsInStore = database.getCollection(EVENTS).countDocuments();
        Replay replay = new Replay(clock.instant(), eventsInStore, lastEventAt());
        processor.shutDown();
        markResetPositions(command.projection());
        processor.resetTokens();
        replays.put(command.projection(), replay);
        processor.start();
        log.info("event=projection_replay_started projection={} events_in_store={}", command.projection(),
                eventsInStore);
        return progress(command.projection(), replay, processor);
    }

    @QueryHandler
    public ReplayProgressView handle(FindReplayProgressQuery query) {
        TrackingEventProcessor processor = processorOf(query.projection());
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

    private ReplayProgressView progress(String projection, Replay replay, TrackingEventProcessor processor) {
        boolean done = isDone(replay, processor);
        Instant finishedAt = done ? replay.finishedAt(clock.instant()) : null;
        Instant until = done ? finishedAt : clock.instant();
        double seconds = Math.max(Duration.between(replay.startedAt, until).toMillis(), 1) / 1000.0;
        long processed = replay.processed.get();
        return new ReplayProgressView(projection, done ? "done" : "running", processed, replay.eventsInStore,
                Math.round(processed / seconds * 10) / 10.0, done, replay.startedAt, finishedAt);
    }

    /**
     * Stores each segment's position as a {@link MongoResetToken}, which the reset then takes as the position to
     * replay up to; with the plain Mongo token, the replay took every event for a new one and slowed down with each.
     * A rebuild that was still running starts again from its own position at reset, as Axon's reset would.
     */
    private void markResetPositions(String processorName) {
        for (int segment : tokens.fetchSegments(processorName)) {
            TrackingToken current = tokens.fetchToken(processorName, segment);
            TrackingToken position = current instanceof ReplayToken replay ? replay.getTokenAtReset() : current;
            if (position instanceof MongoTrackingToken mongo) {
                tokens.storeToken(MongoResetToken.of(mongo), processorName, segment);
            }
        }
    }

    /**
     * A token at the newest event in the store (null when there is none). The store's own head token is "now", which
     * a rebuild never reaches unless new events come.
     */
    private TrackingToken lastEventAt() {
        Document newest = database.getCollection(EVENTS).find()
                .sort(Sorts.descending("timestamp")).limit(1).first();
        return newest == null ? null : events.createTokenAt(Instant.parse(newest.getString("timestamp")));
    }

    /**
     * Done once every segment has reached the newest event that was in the store when the rebuild began, and has
     * nothing left. "Caught up" alone is not enough: a segment reports it whenever its stream has nothing buffered
     * for a moment, which happens between the batches of a long rebuild. The last batches' writes may still be on
     * their {@link WriteBehind} lane, so that must be empty too (looked at after the segments, which queue on it).
     */
    private boolean isDone(Replay replay, TrackingEventProcessor processor) {
        if (replay.finishedAt != null) {
            return true;
        }
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        // before the processor has claimed its segments again there is no status yet: still starting
        return !status.isEmpty()
                && status.values().stream().allMatch(segment -> reached(segment, replay.newestAtStart))
                && writeBehind.isIdle(processor.getName());
    }

    private static boolean reached(EventTrackerStatus segment, TrackingToken newest) {
        if (newest == null) {
            return true; // the store was empty
        }
        TrackingToken position = WrappedToken.unwrapLowerBound(segment.getTrackingToken());
        return position != null && position.covers(newest) && segment.isCaughtUp();
    }

    private TrackingEventProcessor processorOf(String projection) {
        if (!REPLAYABLE.contains(projection)) {
            throw new CallingException(ErrorCode.NOT_FOUND,
                    "No projection named " + projection + "; rebuildable: " + String.join(", ", REPLAYABLE));
        }
        return processors.eventProcessor(projection, TrackingEventProcessor.class).orElseThrow(() ->
                new CallingException(ErrorCode.NOT_FOUND, "The projection " + projection + " is not running here"));
    }

    private static final class Replay {
        private final Instant startedAt;
        private final long eventsInStore;
        private final TrackingToken newestAtStart;
        private final AtomicLong processed = new AtomicLong();
        private volatile Instant finishedAt;

        Replay(Instant startedAt, long eventsInStore, TrackingToken newestAtStart) {
            this.startedAt = startedAt;
            this.eventsInStore = eventsInStore;
            this.newestAtStart = newestAtStart;
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
        ConfigurerModule replayCounting(@Lazy ProjectionReplayer replayer, WriteBehind writeBehind) {
            return configurer -> REPLAYABLE.forEach(projection -> configurer.eventProcessing()
                    .registerHandlerInterceptor(projection, config -> new ReplayCounter(projection, writeBehind,
                            events -> replayer.counted(projection, events))));
        }
    }

    /**
     * Counts a batch's replayed events once the batch is written: once it has committed, or, if its writes went on a
     * {@link WriteBehind} lane, once the lane has applied them. Counting as each event was handled ran ahead of the
     * read model, and a batch that failed and was handled again counted twice.
     */
    record ReplayCounter(String processor, WriteBehind writeBehind, LongConsumer count)
            implements MessageHandlerInterceptor<EventMessage<?>> {

        private static final String REPLAYED = ReplayCounter.class.getName() + ".replayed";

        @Override
        public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain)
                throws Exception {
            Object result = chain.proceed();
            if (ReplayToken.isReplay(unitOfWork.getMessage())) {
                AtomicLong replayed = unitOfWork.getOrComputeResource(REPLAYED, key -> {
                    AtomicLong events = new AtomicLong();
                    unitOfWork.afterCommit(committed ->
                            writeBehind.afterWritten(processor, committed, () -> count.accept(events.get())));
                    return events;
                });
                replayed.incrementAndGet();
            }
            return result;
        }
    }
}
