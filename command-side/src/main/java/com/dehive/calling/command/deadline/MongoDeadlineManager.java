package com.dehive.calling.command.deadline;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.deadline.AbstractDeadlineManager;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.deadline.GenericDeadlineMessage;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.ScopeAware;
import org.axonframework.messaging.ScopeAwareProvider;
import org.axonframework.messaging.ScopeDescriptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateScopeDescriptor;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines that outlive the process: each is a document in MongoDB until it has fired. Every node polls for due
 * deadlines (and wakes exactly on time for the ones it scheduled itself); a node takes a deadline by an atomic
 * claim, so each fires once however many nodes share the store. A node that dies holding a claim loses it after
 * {@code claimTimeout}, and another node fires the deadline. A deadline whose handler fails is tried again after
 * {@code retryDelay}.
 *
 * <p>A deadline is stored when it is scheduled, before the unit of work stores its events; cancels are stored after
 * them. Whatever a crash interrupts, a call whose events are stored keeps the deadlines it needs, and a deadline
 * left over (from a unit of work that never stored its events, or whose cancel was lost) finds nothing to do.
 *
 * <p>Written for this service because JobRunr's fastest poll is several seconds, too coarse for a ring timeout (see
 * the closing note of the ring-timeout work); only aggregate scopes are supported, which is all the service uses.
 */
public class MongoDeadlineManager extends AbstractDeadlineManager {

    static final String COLLECTION = "deadlines";
    private static final Logger log = LoggerFactory.getLogger(MongoDeadlineManager.class);
    private static final int BATCH = 100;

    private final MongoCollection<Document> deadlines;
    private final ScopeAwareProvider scopes;
    private final Serializer serializer;
    private final TransactionManager transactionManager;
    private final String nodeId;
    private final Duration pollInterval;
    private final Duration claimTimeout;
    private final Duration retryDelay;
    private final Clock clock;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "deadlines");
                thread.setDaemon(true);
                return thread;
            });

    public MongoDeadlineManager(MongoDatabase database, ScopeAwareProvider scopes, Serializer serializer,
                                TransactionManager transactionManager, String nodeId, Duration pollInterval,
                                Duration claimTimeout, Duration retryDelay, Clock clock) {
        this.deadlines = database.getCollection(COLLECTION);
        this.scopes = scopes;
        this.serializer = serializer;
        this.transactionManager = transactionManager;
        this.nodeId = nodeId;
        this.pollInterval = pollInterval;
        this.claimTimeout = claimTimeout;
        this.retryDelay = retryDelay;
        this.clock = clock;
        deadlines.createIndex(Indexes.ascending("due_at"));
    }

    /** Starts polling; deadlines that fell due while no node was running fire at once. */
    public void start() {
        scheduler.scheduleWithFixedDelay(this::fireDue, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        scheduler.shutdownNow();
    }

    @Override
    public String schedule(Instant triggerDateTime, String deadlineName, Object messageOrPayload,
                           ScopeDescriptor deadlineScope) {
        if (!(deadlineScope instanceof AggregateScopeDescriptor aggregate)) {
            throw new IllegalArgumentException("only aggregate scopes are supported, not " + deadlineScope);
        }
        DeadlineMessage<?> message = processDispatchInterceptors(
                GenericDeadlineMessage.asDeadlineMessage(deadlineName, messageOrPayload, triggerDateTime));
        String scheduleId = message.getIdentifier();
        SerializedObject<String> payload = message.getPayload() == null ? null
                : serializer.serialize(message.getPayload(), String.class);
        // Stored now, before the unit of work stores its events: one whose events are durable must never be without
        // its deadline (a live call nothing would end). A unit of work that fails takes it back; if a crash cuts one
        // short, the deadline stays and finds nothing to do when it fires.
        deadlines.insertOne(new Document("_id", scheduleId)
                .append("name", deadlineName)
                .append("scope_type", aggregate.getType())
                .append("scope_id", String.valueOf(aggregate.getIdentifier()))
                .append("payload_type", payload == null ? null : payload.getType().getName())
                .append("payload_revision", payload == null ? null : payload.getType().getRevision())
                .append("payload", payload == null ? null : payload.getData())
                .append("metadata", serializer.serialize(message.getMetaData(), String.class).getData())
                .append("due_at", Date.from(triggerDateTime))
                .append("scheduled_at", Date.from(clock.instant()))
                .append("claimed_until", new Date(0)));
        // a millisecond late rather than a fraction early: due_at is stored in whole milliseconds
        Runnable wakeOnTime = () -> scheduler.schedule(this::fireDue,
                Math.max(0, Duration.between(clock.instant(), triggerDateTime).toMillis() + 1), TimeUnit.MILLISECONDS);
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().onRollback(unitOfWork -> deadlines.deleteOne(Filters.eq("_id", scheduleId)));
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> wakeOnTime.run());
        } else {
            wakeOnTime.run();
        }
        return scheduleId;
    }

    @Override
    public void cancelSchedule(String deadlineName, String scheduleId) {
        runOnPrepareCommitOrNow(() -> deadlines.deleteOne(
                Filters.and(Filters.eq("_id", scheduleId), Filters.eq("name", deadlineName))));
    }

    @Override
    public void cancelAll(String deadlineName) {
        runOnPrepareCommitOrNow(() -> deadlines.deleteMany(Filters.eq("name", deadlineName)));
    }

    @Override
    public void cancelAllWithinScope(String deadlineName, ScopeDescriptor scope) {
        if (!(scope instanceof AggregateScopeDescriptor aggregate)) {
            return;
        }
        runOnPrepareCommitOrNow(() -> deadlines.deleteMany(Filters.and(Filters.eq("name", deadlineName),
                Filters.eq("scope_type", aggregate.getType()),
                Filters.eq("scope_id", String.valueOf(aggregate.getIdentifier())))));
    }

    /** How many deadlines wait to fire (for tests and health checks). */
    public long pending() {
        return deadlines.countDocuments();
    }

    private void fireDue() {
        try {
            Document claimed;
            while ((claimed = claimNextDue()) != null) {
                fire(claimed);
            }
        } catch (RuntimeException e) {
            log.error("event=deadline_poll_failed", e);
        }
    }

    /** Takes one due deadline no other node holds; the claim lasts {@code claimTimeout}. */
    private Document claimNextDue() {
        Date now = Date.from(clock.instant());
        Bson due = Filters.and(Filters.lte("due_at", now), Filters.lte("claimed_until", now));
        List<Document> candidates = deadlines.find(due).sort(Sorts.ascending("due_at")).limit(BATCH)
                .into(new ArrayList<>());
        for (Document candidate : candidates) {
            Document claimed = deadlines.findOneAndUpdate(
                    Filters.and(Filters.eq("_id", candidate.get("_id")), Filters.lte("claimed_until", now)),
                    Updates.combine(Updates.set("claimed_until", Date.from(clock.instant().plus(claimTimeout))),
                            Updates.set("claimed_by", nodeId)),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            if (claimed != null) {
                return claimed;
            }
        }
        return null;
    }

    private void fire(Document deadline) {
        String scheduleId = deadline.getString("_id");
        String name = deadline.getString("name");
        ScopeDescriptor scope = new AggregateScopeDescriptor(deadline.getString("scope_type"),
                deadline.getString("scope_id"));
        Instant dueAt = deadline.getDate("due_at").toInstant();
        DeadlineMessage<?> message = new GenericDeadlineMessage<>(name,
                new GenericMessage<>(scheduleId, payloadOf(deadline), metaDataOf(deadline)),
                () -> dueAt);
        UnitOfWork<DeadlineMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(message);
        unitOfWork.attachTransaction(transactionManager);
        DefaultInterceptorChain<DeadlineMessage<?>> chain = new DefaultInterceptorChain<>(unitOfWork,
                handlerInterceptors(), handled -> {
                    sendToScope(handled, scope);
                    return null;
                });
        ResultMessage<?> result = unitOfWork.executeWithResult(chain::proceed);
        if (result.isExceptional() && result.exceptionResult() instanceof AggregateNotFoundException
                && !scheduledRecently(deadline)) {
            // scheduled by a unit of work whose events were never stored: nothing to time out
            log.warn("event=deadline_dropped name={} scope={} reason=no_such_aggregate", name,
                    scope.scopeDescription());
            deadlines.deleteOne(Filters.eq("_id", scheduleId));
            return;
        }
        if (result.isExceptional()) {
            log.warn("event=deadline_failed name={} scope={} retry_in={}", name, scope.scopeDescription(), retryDelay,
                    result.exceptionResult());
            deadlines.updateOne(Filters.eq("_id", scheduleId), Updates.combine(
                    Updates.set("claimed_until", Date.from(clock.instant().plus(retryDelay))),
                    Updates.unset("claimed_by")));
            return;
        }
        deadlines.deleteOne(Filters.eq("_id", scheduleId));
        log.info("event=deadline_fired name={} scope_id={} late_ms={}", name, deadline.getString("scope_id"),
                Duration.between(dueAt, clock.instant()).toMillis());
    }

    /**
     * A deadline is stored before its unit of work stores its events: one whose call is not there yet may belong to
     * a unit of work still committing, and is tried again for a while before it counts as abandoned.
     */
    private boolean scheduledRecently(Document deadline) {
        Date scheduledAt = deadline.getDate("scheduled_at");
        return scheduledAt != null && scheduledAt.toInstant().plus(claimTimeout).isAfter(clock.instant());
    }

    private void sendToScope(DeadlineMessage<?> message, ScopeDescriptor scope) throws Exception {
        for (ScopeAware component : scopes.provideScopeAwareStream(scope).filter(c -> c.canResolve(scope)).toList()) {
            component.send(message, scope);
        }
    }

    private Object payloadOf(Document deadline) {
        String type = deadline.getString("payload_type");
        if (type == null) {
            return null;
        }
        return serializer.deserialize(new SimpleSerializedObject<>(deadline.getString("payload"), String.class, type,
                deadline.getString("payload_revision")));
    }

    private MetaData metaDataOf(Document deadline) {
        return serializer.deserialize(new SimpleSerializedObject<>(deadline.getString("metadata"), String.class,
                MetaData.class.getName(), null));
    }
}
