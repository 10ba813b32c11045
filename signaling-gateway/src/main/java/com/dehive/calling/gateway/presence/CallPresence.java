package com.dehive.calling.gateway.presence;

import com.corundumstudio.socketio.SocketIOClient;
import com.dehive.calling.gateway.auth.AuditTrail;
import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.gateway.cluster.Presence;
import com.dehive.calling.gateway.relay.OneAtATime;
import com.dehive.calling.gateway.relay.Participation;
import com.dehive.calling.gateway.relay.ParticipationView;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.call.ReportParticipantBackCommand;
import com.dehive.calling.shared.call.ReportParticipantGoneCommand;
import com.dehive.calling.shared.query.CallView;
import com.dehive.calling.shared.query.FindActiveCallQuery;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Whether the participants of live calls are still there. A participant whose last socket drops is reported gone
 * (the call then waits out the reconnect grace period); one who authenticates a socket again is reported back, and
 * gets the signaling they missed meanwhile.
 */
public class CallPresence {

    private static final Logger log = LoggerFactory.getLogger(CallPresence.class);

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ParticipationView view;
    private final Presence presence;
    /**
     * One user's reports run one after the other, in the order their sockets came and went: with Redis the presence
     * answers arrive on its threads, and a "back" overtaking the "gone" before it would leave a connected user gone.
     */
    private final OneAtATime<UserId> reportsOfUser = new OneAtATime<>();

    public CallPresence(CommandGateway commands, QueryGateway queries, ParticipationView view, Presence presence) {
        this.commands = commands;
        this.queries = queries;
        this.view = view;
        this.presence = presence;
    }

    /** A socket closed; if it was the user's last one on any node, their live call learns they are gone. */
    public void socketClosed(SocketIOClient client, AuthenticatedUser user, String clientAddress) {
        String socketId = client.getSessionId().toString();
        reportGoneUnlessPresent(user.id(), presence.left(user.id(), socketId),
                AuditTrail.ofSocket(user, socketId, clientAddress));
    }

    /**
     * Users whose sockets were on a node that died: those with no socket left anywhere are reported gone from their
     * live call, which then waits out the grace period for them to reconnect to another node.
     */
    public void vanishedWithNode(Set<UserId> users) {
        for (UserId user : users) {
            reportGoneUnlessPresent(user, presence.nodesOf(user).thenApply(nodes -> !nodes.isEmpty()),
                    MetaData.emptyInstance());
        }
    }

    private void reportGoneUnlessPresent(UserId user, CompletableFuture<Boolean> stillPresent, MetaData audit) {
        reportsOfUser.run(user, () -> stillPresent.thenCompose(present -> present
                        ? CompletableFuture.completedFuture(Optional.<CallId>empty()) : liveCallOf(user))
                .thenCompose(call -> call
                        .map(live -> commands.send(new ReportParticipantGoneCommand(live, user), audit))
                        .orElse(CompletableFuture.completedFuture(null))))
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        log.warn("event=participant_gone_not_recorded user={} error={}", user, failure.toString());
                    }
                });
    }

    /** A socket authenticated; if its user's live call thought them gone, it goes on, and they get what they missed. */
    public void socketAuthenticated(SocketIOClient client, AuthenticatedUser user, String clientAddress) {
        String socketId = client.getSessionId().toString();
        CompletableFuture<List<Presence.Missed>> joined = presence.joined(user.id(), socketId);
        reportsOfUser.run(user.id(), () -> joined.thenCompose(missed -> {
            missed.forEach(signal -> client.sendEvent(signal.event(), signal.payload()));
            return liveCallOf(user.id());
        }).thenCompose(call -> {
            if (call.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            MetaData audit = AuditTrail.ofSocket(user, socketId, clientAddress);
            return commands.send(new ReportParticipantBackCommand(call.get(), user.id()), audit);
        })).whenComplete((done, failure) -> {
            if (failure != null) {
                log.warn("event=participant_back_not_recorded user={} error={}", user.id(), failure.toString());
            }
        });
    }

    private CompletableFuture<Optional<CallId>> liveCallOf(UserId user) {
        Optional<Participation> known = view.liveCallOf(user);
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(Optional.of(CallId.of(known.get().callId())));
        }
        return queries.query(new FindActiveCallQuery(user), ResponseTypes.optionalInstanceOf(CallView.class))
                .thenApply(call -> call.map(view -> CallId.of(view.callId())));
    }
}
