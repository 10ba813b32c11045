package com.dehive.calling.gateway.relay;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.query.CallView;
import com.dehive.calling.shared.query.FindCallQuery;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live calls this node relays for, in memory, kept current by this node's event notifier (no event-store read
 * per message). A call it has not seen yet (started before this node came up, or not yet read from the stream) is
 * folded once from its events and kept from then on.
 */
public class ParticipationView {

    private final Map<String, Participation> live = new ConcurrentHashMap<>();
    /** Each participant's live call here, so that finding a user's call (at every connect) does not walk them all. */
    private final Map<UserId, String> callOfUser = new ConcurrentHashMap<>();
    private final QueryGateway queries;

    public ParticipationView(QueryGateway queries) {
        this.queries = queries;
    }

    public void started(CallId callId, UserId caller, UserId callee, Instant startedAt) {
        live.put(callId.toString(), new Participation(callId.toString(), caller, callee, false, null, startedAt));
        callOfUser.put(caller, callId.toString());
        callOfUser.put(callee, callId.toString());
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

    public void ended(CallId callId) {
        Participation call = live.remove(callId.toString());
        if (call != null) {
            // unless the user's line already points at a later call
            callOfUser.remove(call.caller(), call.callId());
            callOfUser.remove(call.callee(), call.callId());
        }
    }

    public int liveCount() {
        return live.size();
    }

    /** Whether the user is in a live call this node knows of. */
    public Optional<Participation> liveCallOf(UserId user) {
        String callId = callOfUser.get(user);
        return callId == null ? Optional.empty() : Optional.ofNullable(live.get(callId));
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
                        .map(call -> live.computeIfAbsent(callId, id -> lookedUp(new Participation(id,
                                UserId.of(call.callerId()), UserId.of(call.calleeId()),
                                call.status().equals("connected"), null, call.createdAt())))));
    }

    /** A call looked up never displaces one this node learned from its events since (the notifier is newer). */
    private Participation lookedUp(Participation call) {
        callOfUser.putIfAbsent(call.caller(), call.callId());
        callOfUser.putIfAbsent(call.callee(), call.callId());
        return call;
    }

    /** Whether the call exists at all (to tell "no such call" from "call is over"). */
    public CompletableFuture<Boolean> exists(String callId) {
        return queries.query(new FindCallQuery(CallId.of(callId)), ResponseTypes.optionalInstanceOf(CallView.class))
                .thenApply(Optional::isPresent);
    }
}
