package com.dehive.calling.query.consistency;

import com.dehive.calling.query.analytics.CallAnalyticsProjection;
import com.dehive.calling.query.analytics.CallFacts;
import com.dehive.calling.query.conversation.ConversationMessageProjection;
import com.dehive.calling.query.conversation.DirectMessage;
import com.dehive.calling.query.history.CallHistoryProjection;
import com.dehive.calling.query.history.CallRecord;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.consistency.CheckConsistencyQuery;
import com.dehive.calling.shared.consistency.ConsistencyRepairView;
import com.dehive.calling.shared.consistency.ConsistencyReport;
import com.dehive.calling.shared.consistency.ConsistencyReport.Divergence;
import com.dehive.calling.shared.consistency.FindConsistencyRepairQuery;
import com.dehive.calling.shared.consistency.RepairConsistencyCommand;
import com.dehive.calling.shared.query.AwaitProjectionQuery;
import com.dehive.calling.shared.query.Processors;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.BsonInvalidOperationException;
import org.bson.Document;
import org.bson.codecs.configuration.CodecConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Compares every projection with the event store, and repairs what differs.
 *
 * <p>The check replays every event up to the newest stored one into scratch read models, built by the projections'
 * own handlers in a database of their own, and compares them with the live read models: each call's record, each
 * ended call's conversation message, each call's analytics facts (which the daily figures are summed from). Calls
 * with events stored after the check began were still changing and are left to the next check.
 *
 * <p>A repair runs the check, then hands the events of each call found different to the live projection's handlers
 * again (each handler sets what its event says, so that is idempotent), puts back a message that is missing or
 * differs, and removes records and facts that no event speaks of. A conversation message that no call's end speaks
 * of is reported and left alone: it sits in users' conversations.
 */
@Component
public class ConsistencyCheck implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConsistencyCheck.class);
    private static final String HISTORY = Processors.CALL_HISTORY;
    private static final String ANALYTICS = Processors.CALL_ANALYTICS;
    private static final String MESSAGES = Processors.CONVERSATION_MESSAGES;

    private final MongoClient client;
    private final MongoDatabase live;
    private final EventStore events;
    private final QueryGateway queries;
    private final CallHistoryProjection liveHistory;
    private final CallAnalyticsProjection liveAnalytics;
    private final ConversationMessageProjection liveMessages;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService repairs = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "consistency-repair");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<ConsistencyRepairView> repair = new AtomicReference<>(
            new ConsistencyRepairView("idle", 0, 0, 0, null, null, null));

    public ConsistencyCheck(MongoClient client, MongoDatabase live, @Lazy EventStore events,
                            @Lazy QueryGateway queries, CallHistoryProjection liveHistory,
                            CallAnalyticsProjection liveAnalytics, ConversationMessageProjection liveMessages) {
        this.client = client;
        this.live = live;
        this.events = events;
        this.queries = queries;
        this.liveHistory = liveHistory;
        this.liveAnalytics = liveAnalytics;
        this.liveMessages = liveMessages;
    }

    @QueryHandler
    public ConsistencyReport handle(CheckConsistencyQuery query) {
        try (Scratch scratch = new Scratch()) {
            return check(scratch).report();
        }
    }

    @CommandHandler
    public synchronized ConsistencyRepairView handle(RepairConsistencyCommand command) {
        String status = repair.get().status();
        if (status.equals("checking") || status.equals("repairing")) {
            throw new CallingException(ErrorCode.REPAIR_IN_PROGRESS);
        }
        ConsistencyRepairView started = new ConsistencyRepairView("checking", 0, 0, 0, clock.instant(), null, null);
        repair.set(started);
        repairs.submit(() -> repair(started.startedAt()));
        return started;
    }

    @QueryHandler
    public ConsistencyRepairView handle(FindConsistencyRepairQuery query) {
        return repair.get();
    }

    private void repair(Instant startedAt) {
        try (Scratch scratch = new Scratch()) {
            Findings findings = check(scratch);
            long found = findings.all.size();
            AtomicLong repaired = new AtomicLong();
            AtomicLong leftAlone = new AtomicLong();
            repair.set(new ConsistencyRepairView("repairing", found, 0, 0, startedAt, null, null));
            Set<String> replayed = new HashSet<>();
            for (Divergence divergence : findings.all) {
                if (repairOne(divergence, scratch, replayed)) {
                    repaired.incrementAndGet();
                } else {
                    leftAlone.incrementAndGet();
                }
                repair.set(new ConsistencyRepairView("repairing", found, repaired.get(), leftAlone.get(), startedAt,
                        null, null));
            }
            repair.set(new ConsistencyRepairView("done", found, repaired.get(), leftAlone.get(), startedAt,
                    clock.instant(), null));
            log.info("event=consistency_repaired divergences={} repaired={} left_alone={}", found, repaired.get(),
                    leftAlone.get());
        } catch (RuntimeException e) {
            log.error("event=consistency_repair_failed", e);
            ConsistencyRepairView last = repair.get();
            repair.set(new ConsistencyRepairView("failed", last.divergencesFound(), last.repaired(),
                    last.leftAlone(), startedAt, clock.instant(), e.getMessage()));
        }
    }

    private boolean repairOne(Divergence divergence, Scratch scratch, Set<String> replayed) {
        String callId = divergence.callId();
        switch (divergence.projection()) {
            case HISTORY -> {
                return repairRecord(divergence, CallRecord.COLLECTION, liveHistory, replayed);
            }
            case ANALYTICS -> {
                return repairRecord(divergence, CallFacts.COLLECTION, liveAnalytics, replayed);
            }
            case MESSAGES -> {
                if (divergence.kind().equals("extra")) {
                    return false;
                }
                if (divergence.kind().equals("missing")) {
                    replayCall(callId, liveMessages);
                } else {
                    DirectMessage right = scratch.messages.find(Filters.eq("_id",
                            ConversationMessageProjection.messageIdOf(
                                    CallId.of(callId)))).first();
                    live.getCollection(DirectMessage.COLLECTION, DirectMessage.class).updateOne(
                            Filters.eq("_id", right.id()), Updates.combine(
                                    Updates.set("senderId", right.senderId()),
                                    Updates.set("content", right.content()),
                                    Updates.set("attachments", right.attachments()),
                                    Updates.set("createdAt", right.createdAt()),
                                    Updates.set("updatedAt", right.updatedAt())));
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** A record no event speaks of goes; any other is rewritten by the projection from the call's events. */
    private boolean repairRecord(Divergence divergence, String collection, Object projection, Set<String> replayed) {
        if (divergence.kind().equals("extra")) {
            live.getCollection(collection).deleteOne(Filters.eq("_id", divergence.callId()));
        } else if (replayed.add(divergence.projection() + divergence.callId())) {
            replayCall(divergence.callId(), projection);
        }
        return true;
    }

    private void replayCall(String callId, Object projection) {
        AnnotationEventHandlerAdapter handlers = new AnnotationEventHandlerAdapter(projection);
        events.readEvents(callId).asStream().forEach(event -> {
            try {
                if (handlers.canHandle(event)) {
                    handlers.handle(event);
                }
            } catch (Exception e) {
                throw new IllegalStateException("the events of call " + callId + " could not be handled again", e);
            }
        });
    }

    private Findings check(Scratch scratch) {
        long head = position(events.createHeadToken());
        for (String projection : List.of(HISTORY, ANALYTICS, MESSAGES)) {
            Boolean caughtUp = queries.query(new AwaitProjectionQuery(projection, null, head), Boolean.class)
                    .join();
            if (!Boolean.TRUE.equals(caughtUp)) {
                throw new CallingException(ErrorCode.STORE_BUSY, "The projection " + projection
                        + " has not handled the newest events yet; check again in a moment");
            }
        }
        Set<String> calls = new HashSet<>();
        long replayed = replayInto(scratch, head, calls);
        Set<String> changing = callsChangedAfter(head);
        Findings findings = new Findings(head, replayed, calls, changing);
        compareCalls(scratch, findings);
        compareFacts(scratch, findings);
        compareMessages(scratch, findings);
        log.info("event=consistency_checked position={} events={} calls={} divergences={}", head, replayed,
                calls.size(), findings.all.size());
        return findings;
    }

    /** Hands every event up to {@code head} to the scratch projections; answers how many there were. */
    private long replayInto(Scratch scratch, long head, Set<String> calls) {
        if (head < 0) {
            return 0;
        }
        long count = 0;
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(null)) {
            while (true) {
                if (!stream.hasNextAvailable(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the event stream ended before position " + head);
                }
                TrackedEventMessage<?> event = stream.nextAvailable();
                long position = position(event.trackingToken());
                if (position > head) {
                    return count;
                }
                scratch.handle(event);
                calls.add(callOf(event));
                count++;
                if (position == head) {
                    return count;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the event stream", e);
        }
    }

    private Set<String> callsChangedAfter(long head) {
        Set<String> changing = new HashSet<>();
        long newest = position(events.createHeadToken());
        if (newest <= head) {
            return changing;
        }
        try (BlockingStream<TrackedEventMessage<?>> stream =
                     events.openStream(new GlobalSequenceTrackingToken(head))) {
            while (stream.hasNextAvailable(1, TimeUnit.SECONDS)) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                changing.add(callOf(event));
                if (position(event.trackingToken()) >= newest) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the event stream", e);
        }
        return changing;
    }

    private void compareCalls(Scratch scratch, Findings findings) {
        compareRecords(HISTORY, scratch.calls, CallRecord.COLLECTION, CallRecord.class, CallRecord::id,
                expected -> "no record of the call (status " + expected.status() + ")",
                "no event of this call is stored", findings);
    }

    private void compareFacts(Scratch scratch, Findings findings) {
        compareRecords(ANALYTICS, scratch.facts, CallFacts.COLLECTION, CallFacts.class, CallFacts::id,
                expected -> "the call is not counted (day " + expected.day() + ")",
                "counted, but no event of this call is stored", findings);
    }

    /** One record per call: each the events say should be there, as they say; none that no event speaks of. */
    private <R extends Record> void compareRecords(String projection, MongoCollection<R> expectedRecords,
                                                   String collection, Class<R> type, Function<R, String> callOf,
                                                   Function<R, String> missing, String extra, Findings findings) {
        MongoCollection<R> liveRecords = live.getCollection(collection, type);
        for (R expected : expectedRecords.find()) {
            String callId = callOf.apply(expected);
            if (findings.changing.contains(callId)) {
                continue;
            }
            R actual;
            try {
                actual = liveRecords.find(Filters.eq("_id", callId)).first();
            } catch (CodecConfigurationException | BsonInvalidOperationException unreadable) {
                findings.add(projection, callId, "different", "the stored record cannot be read: "
                        + unreadable.getMessage());
                continue;
            }
            if (actual == null) {
                findings.add(projection, callId, "missing", missing.apply(expected));
            } else if (!actual.equals(expected)) {
                findings.add(projection, callId, "different", differences(expected, actual));
            }
        }
        // only the ids: a record too broken to read is still one no event speaks of
        for (Document stored : live.getCollection(collection).find().projection(Projections.include("_id"))) {
            String callId = String.valueOf(stored.get("_id"));
            if (!findings.calls.contains(callId) && !findings.changing.contains(callId)) {
                findings.add(projection, callId, "extra", extra);
            }
        }
    }

    private void compareMessages(Scratch scratch, Findings findings) {
        MongoCollection<DirectMessage> liveMessages = live.getCollection(DirectMessage.COLLECTION,
                DirectMessage.class);
        Set<Object> expectedIds = new HashSet<>();
        for (DirectMessage expected : scratch.messages.find()) {
            String callId = expected.attachments().get(0).callId();
            expectedIds.add(expected.id());
            if (findings.changing.contains(callId)) {
                continue;
            }
            DirectMessage actual = liveMessages.find(Filters.eq("_id", expected.id())).first();
            if (actual == null) {
                findings.add(MESSAGES, callId, "missing", "no \"" + expected.content() + "\" message was posted");
            } else if (!sameMessage(expected, actual)) {
                findings.add(MESSAGES, callId, "different", "posted as \"" + actual.content() + "\", the events "
                        + "say \"" + expected.content() + "\"");
            }
        }
        for (DirectMessage actual : liveMessages.find(Filters.eq("attachments.type", "call"))) {
            String callId = actual.attachments().get(0).callId();
            if (!expectedIds.contains(actual.id()) && !findings.changing.contains(callId)) {
                findings.add(MESSAGES, callId, "extra", "a call message, but the call did not end");
            }
        }
    }

    /** The same message, in the conversation the live projection put it in (scratch conversations are new). */
    private static boolean sameMessage(DirectMessage expected, DirectMessage actual) {
        return Objects.equals(expected.senderId(), actual.senderId())
                && Objects.equals(expected.content(), actual.content())
                && Objects.equals(expected.attachments(), actual.attachments())
                && Objects.equals(expected.createdAt(), actual.createdAt());
    }

    /** The fields of a record that differ, as "field: stored → expected". */
    private static String differences(Record expected, Record actual) {
        List<String> differing = new ArrayList<>();
        try {
            for (RecordComponent component : expected.getClass().getRecordComponents()) {
                Object want = component.getAccessor().invoke(expected);
                Object have = component.getAccessor().invoke(actual);
                if (!Objects.equals(want, have)) {
                    differing.add(component.getName() + ": " + have + " → " + want);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("a record's accessor failed", e);
        }
        return String.join("; ", differing);
    }

    private static String callOf(EventMessage<?> event) {
        return event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier()
                : event.getIdentifier();
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }

    @Override
    public void destroy() {
        repairs.shutdownNow();
    }

    /** Read models built from the events alone, by the projections' own handlers, in a database of their own. */
    private final class Scratch implements AutoCloseable {

        private final MongoDatabase database;
        private final MongoCollection<CallRecord> calls;
        private final MongoCollection<CallFacts> facts;
        private final MongoCollection<DirectMessage> messages;
        private final List<AnnotationEventHandlerAdapter> handlers;

        Scratch() {
            database = client.getDatabase(live.getName() + "_check_" + UUID.randomUUID().toString()
                    .substring(0, 8));
            handlers = List.of(new AnnotationEventHandlerAdapter(new CallHistoryProjection(database, events, queries)),
                    new AnnotationEventHandlerAdapter(new CallAnalyticsProjection(database)),
                    new AnnotationEventHandlerAdapter(new ConversationMessageProjection(database)));
            calls = database.getCollection(CallRecord.COLLECTION, CallRecord.class);
            facts = database.getCollection(CallFacts.COLLECTION, CallFacts.class);
            messages = database.getCollection(DirectMessage.COLLECTION, DirectMessage.class);
        }

        void handle(EventMessage<?> event) {
            for (AnnotationEventHandlerAdapter handler : handlers) {
                try {
                    if (handler.canHandle(event)) {
                        handler.handle(event);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("a projection could not handle event " + event.getIdentifier(),
                            e);
                }
            }
        }

        @Override
        public void close() {
            database.drop();
        }
    }

    /** What a check found, and what it looked at. */
    private static final class Findings {

        private final long position;
        private final long events;
        private final Set<String> calls;
        private final Set<String> changing;
        private final List<Divergence> all = new ArrayList<>();

        Findings(long position, long events, Set<String> calls, Set<String> changing) {
            this.position = position;
            this.events = events;
            this.calls = calls;
            this.changing = changing;
        }

        void add(String projection, String callId, String kind, String detail) {
            all.add(new Divergence(projection, callId, kind, detail));
        }

        ConsistencyReport report() {
            Set<String> checked = new HashSet<>(calls);
            checked.removeAll(changing);
            return new ConsistencyReport(Instant.now(), position, events, checked.size(), calls.size()
                    - checked.size(), all.isEmpty(), all.size(),
                    List.copyOf(all.subList(0, Math.min(all.size(), ConsistencyReport.MAX_LISTED))));
        }
    }
}
