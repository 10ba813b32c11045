package com.dehive.calling.gateway.relay;

import com.dehive.calling.gateway.socket.OffThreadQueries;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.query.CallView;
import com.dehive.calling.shared.query.FindCallQuery;
import org.axonframework.messaging.responsetypes.ResponseTypes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live calls this node relays for, in memory, kept current by the event notifier through the {@link
 * com.dehive.calling.gateway.cluster.Fanout} (no event-store read per message). A call it has not seen (started before this node came up) is looked up once in the calls read model
 * and kept from then on.
 */
public class ParticipationView {

    private final Map<String, Participation> live = new ConcurrentHashMap<>();
    /** The live call of each user in one; complete once {@link #preload} has run on a single node. */
    private final Map<UserId, String> callOfUser = new ConcurrentHashMap<>();
    private volatile boolean complete;
    private final OffThreadQueries queries;

    public ParticipationView(OffThreadQueries queries) {
        this.queries = queries;
    }

    public void started(CallId callId, UserId caller, UserId callee, Instant startedAt) {
        live.put(callId.toString(), new Participation(callId.toString(), caller, callee, false, null, startedAt));
        callOfUser.put(caller, callId.toString());
        callOfUser.put(callee, callId.toString());
    }

    /**
     * The users of the calls that were live when this node started. On a single node this view then knows every
     * live call (the notifier tells it of every later one), so a user it does not know is in none.
     */
    public void preload(Map<String, List<UserId>> participantsByCall, boolean theOnlyNode) {
        participantsByCall.forEach((callId, users) -> users.forEach(user -> callOfUser.putIfAbsent(user, callId)));
        complete = theOnlyNode;
    }

    /** Whether a user this view does not know of is in no live call (no store lookup needed). */
    public boolean isComplete() {
        return complete;
    }

    /** The user's live call, if this view knows of it. */
    public Optional<String> liveCallIdOf(UserId user) {
        return Optional.ofNullable(callOfUser.get(user));
    }

    /** Marks the call connected; the callee's signaling goes to the socket that answered, if one did. */
    public void accepted(CallId callId, String socketId) {
        live.computeIfPresent(callId.toString(), (id, known) -> known.accepted(socketId));
    }

    /** When the call started ringing, if this node knows the call. */
    public Optional<Instant> startedAt(CallId callId) {
        return Optional.ofNullable(live.get(callId.toString())).map(Participation::startedAt);
    }

    /** A callee who came back talks on their new socket (if they had answered on one). */
    public void reconnected(CallId callId, UserId participant, String socketId) {
        live.computeIfPresent(callId.toString(), (id, call) -> call.callee().equals(participant)
                && call.calleeSocket() != null && socketId != null ? call.accepted(socketId) : call);
    }

    public void ended(CallId callId, UserId caller, UserId callee) {
        live.remove(callId.toString());
        callOfUser.remove(caller, callId.toString());
        callOfUser.remove(callee, callId.toString());
    }

    public int liveCount() {
        return live.size();
    }

    /** The call if it is live; completes at once when it is known here. */
    public CompletableFuture<Optional<Participation>> find(String callId) {
        Participation known = live.get(callId);
        if (known != null) {
            return CompletableFuture.completedFuture(Optional.of(known));
        }
        return queries.query(new FindCallQuery(CallId.of(callId)), ResponseTypes.optionalInstanceOf(CallView.class))
                .thenApply(view -> view.filter(call -> call.status().equals("ringing")
                                || call.status().equals("connected"))
                        .map(call -> live.computeIfAbsent(callId, id -> {
                            callOfUser.putIfAbsent(UserId.of(call.callerId()), id);
                            callOfUser.putIfAbsent(UserId.of(call.calleeId()), id);
                            return new Participation(id, UserId.of(call.callerId()), UserId.of(call.calleeId()),
                                    call.status().equals("connected"), null, call.createdAt());
                        })));
    }

    /** Whether the read model knows the call at all (to tell "no such call" from "call is over"). */
    public CompletableFuture<Boolean> exists(String callId) {
        return queries.query(new FindCallQuery(CallId.of(callId)), ResponseTypes.optionalInstanceOf(CallView.class))
                .thenApply(Optional::isPresent);
    }
}
