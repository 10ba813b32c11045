package com.dehive.calling.command.line;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "One call per user", held as a unique key in MongoDB: a user's line is the document whose {@code _id} is the user
 * id, naming the call that holds it. Claiming inserts that document, so two nodes that race for the same user
 * cannot both win; the store's unique {@code _id} decides.
 *
 * <p>A line whose call is over (the release was lost in a crash) or whose call was never recorded (a crash between
 * claim and append) is stale: a claim that meets one asks {@link CallLiveness} and takes the line over. A call with
 * no events is being started only if this process is starting it right now, or, on a store several processes
 * share, if another one claimed its line less than {@link #CLAIM_GRACE} ago.
 */
public class CallLines {

    static final String COLLECTION = "call_lines";
    /** How long a claimed line may go without its call's first event before it counts as abandoned. */
    static final Duration CLAIM_GRACE = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(CallLines.class);

    private final MongoCollection<Document> lines;
    private final CallLiveness liveness;
    private final Clock clock;
    private final String nodeId;
    /** Whether this process is the store's only writer (the embedded store): no one else can be starting a call. */
    private final boolean onlyWriter;
    private final Set<CallId> starting = ConcurrentHashMap.newKeySet();

    public CallLines(MongoDatabase database, CallLiveness liveness, Clock clock, String nodeId, boolean onlyWriter) {
        this.lines = database.getCollection(COLLECTION);
        this.liveness = liveness;
        this.clock = clock;
        this.nodeId = nodeId;
        this.onlyWriter = onlyWriter;
    }

    /** Takes the user's line for the call; false when another live call holds it. */
    public boolean claim(UserId user, CallId call) {
        // Marked before the insert: a rival claim that finds our line must also find the mark, or it would take
        // a line with no events behind it yet for one a crash abandoned.
        whileStarting(call);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (tryInsert(user, call)) {
                return true;
            }
            Document holder = lines.find(Filters.eq("_id", user.toString())).first();
            if (holder == null) {
                continue; // released between our insert and our read: try again
            }
            CallId holderCall = CallId.of(holder.getString("call_id"));
            if (holderCall.equals(call)) {
                return true;
            }
            if (starting.contains(holderCall)) {
                return false; // being started by this process right now
            }
            Instant claimedAt = holder.getDate("claimed_at").toInstant();
            boolean othersMayBeStartingIt = !onlyWriter && !nodeId.equals(holder.getString("claimed_by"));
            if (liveness.isLive(holderCall, claimedAt, othersMayBeStartingIt)) {
                return false;
            }
            log.warn("event=stale_call_line_released user={} call={}", user, holderCall);
            release(user, holderCall);
        }
        return false;
    }

    /** The call counts as being started by this process until the unit of work that claimed its line is over. */
    private void whileStarting(CallId call) {
        if (CurrentUnitOfWork.isStarted() && starting.add(call)) {
            CurrentUnitOfWork.get().onCleanup(unitOfWork -> starting.remove(call));
        }
    }

    /** Frees the user's line if, and only if, this call holds it. */
    public void release(UserId user, CallId call) {
        lines.deleteOne(Filters.and(Filters.eq("_id", user.toString()), Filters.eq("call_id", call.toString())));
    }

    /** Frees the lines once the unit of work that ended the call has committed (at once outside of one). */
    public void releaseAfterCommit(CallId call, UserId... users) {
        Runnable releaseAll = () -> {
            for (UserId user : users) {
                release(user, call);
            }
        };
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(uow -> releaseAll.run());
        } else {
            releaseAll.run();
        }
    }

    /** Gives claimed lines back if the unit of work that claimed them fails to record the call. */
    public void releaseOnRollback(CallId call, UserId... users) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().onRollback(uow -> {
                for (UserId user : users) {
                    release(user, call);
                }
            });
        }
    }

    /** Every held line, grouped by the call that holds it. */
    public Map<CallId, List<UserId>> all() {
        Map<CallId, List<UserId>> calls = new LinkedHashMap<>();
        lines.find().forEach(line -> calls.computeIfAbsent(CallId.of(line.getString("call_id")), id -> new ArrayList<>())
                .add(UserId.of(line.getString("_id"))));
        return calls;
    }

    /** The call that holds the user's line, if any. */
    public CallId holder(UserId user) {
        Document holder = lines.find(Filters.eq("_id", user.toString())).first();
        return holder == null ? null : CallId.of(holder.getString("call_id"));
    }

    private boolean tryInsert(UserId user, CallId call) {
        try {
            lines.insertOne(new Document("_id", user.toString())
                    .append("call_id", call.toString())
                    .append("claimed_at", Date.from(clock.instant()))
                    .append("claimed_by", nodeId));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }
}
