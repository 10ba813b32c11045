package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import com.dehive.calling.gateway.auth.AuditTrail;
import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.gateway.call.CallCommands;
import com.dehive.calling.gateway.call.CallRequests;
import com.dehive.calling.gateway.ratelimit.RateLimits;
import com.dehive.calling.gateway.relay.OneAtATime;
import com.dehive.calling.gateway.telemetry.MediaReportRequests;
import com.dehive.calling.gateway.telemetry.MediaReports;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.call.AcceptCallCommand;
import com.dehive.calling.shared.call.CallCommand;
import com.dehive.calling.shared.call.DeclineCallCommand;
import com.dehive.calling.shared.call.EndCallCommand;
import com.dehive.calling.shared.call.StartCallCommand;
import com.dehive.calling.shared.call.ToggleMediaCommand;
import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.messaging.MetaData;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static com.dehive.calling.gateway.call.CallRequests.orTrue;

/**
 * The call commands a socket sends: {@code startCall}, {@code acceptCall}, {@code declineCall}, {@code endCall},
 * {@code toggleMedia}, and the media reports {@code callConnected}, {@code callMediaFailed}, {@code callStats}. Each
 * reads its payload into the REST API's request record and sends the command as the socket's user. One socket's
 * commands are handled one after the other, in the order they came (a closing {@code callStats} sent after an
 * {@code endCall} finds the call ended).
 */
final class CallCommandListeners implements SocketListeners {

    private final CallCommands commands;
    private final SocketPayloads payloads;
    private final RateLimits rateLimits;
    private final RateLimits.Limit callStartLimit;
    private final MediaReports reports;
    private final OneAtATime<UUID> commandsOfSocket = new OneAtATime<>();

    CallCommandListeners(CallCommands commands, SocketPayloads payloads, RateLimits rateLimits,
                         RateLimits.Limit callStartLimit, MediaReports reports) {
        this.commands = commands;
        this.reports = reports;
        this.payloads = payloads;
        this.rateLimits = rateLimits;
        this.callStartLimit = callStartLimit;
    }

    @Override
    public void register(SocketIONamespace rtc) {
        ClientEvents.onAuthenticated(rtc, "startCall", commandsOfSocket, this::startCall);
        ClientEvents.onAuthenticated(rtc, "acceptCall", commandsOfSocket, this::acceptCall);
        ClientEvents.onAuthenticated(rtc, "declineCall", commandsOfSocket, this::declineCall);
        ClientEvents.onAuthenticated(rtc, "endCall", commandsOfSocket, this::endCall);
        ClientEvents.onAuthenticated(rtc, "toggleMedia", commandsOfSocket, this::toggleMedia);
        ClientEvents.onAuthenticated(rtc, "callConnected", commandsOfSocket, (client, user, payload) ->
                reports.connected(user.id(), payloads.read(payload, MediaReportRequests.Connected.class),
                        audit(client, user)));
        ClientEvents.onAuthenticated(rtc, "callMediaFailed", commandsOfSocket, (client, user, payload) ->
                reports.failed(user.id(), payloads.read(payload, MediaReportRequests.MediaFailed.class),
                        audit(client, user)));
        ClientEvents.onAuthenticated(rtc, "callStats", commandsOfSocket, (client, user, payload) ->
                reports.stats(user.id(), payloads.read(payload, MediaReportRequests.Stats.class),
                        audit(client, user)));
    }

    private CompletableFuture<?> startCall(SocketIOClient client, AuthenticatedUser user, JsonNode payload) {
        CallRequests.StartCall start = payloads.read(payload, CallRequests.StartCall.class);
        return rateLimits.consumeAsync(callStartLimit, user.id().toString()).thenCompose(allowed ->
                send(client, user, new StartCallCommand(CallId.newId(), user.profile(),
                        UserId.of(start.targetUserId()), orTrue(start.withVideo()), orTrue(start.withAudio()))));
    }

    private CompletableFuture<?> acceptCall(SocketIOClient client, AuthenticatedUser user, JsonNode payload) {
        CallRequests.AcceptCall accept = payloads.read(payload, CallRequests.AcceptCall.class);
        return send(client, user, new AcceptCallCommand(CallId.of(accept.callId()), user.profile(),
                orTrue(accept.withVideo()), orTrue(accept.withAudio())));
    }

    private CompletableFuture<?> declineCall(SocketIOClient client, AuthenticatedUser user, JsonNode payload) {
        return send(client, user, new DeclineCallCommand(callIn(payload), user.id()));
    }

    private CompletableFuture<?> endCall(SocketIOClient client, AuthenticatedUser user, JsonNode payload) {
        return send(client, user, new EndCallCommand(callIn(payload), user.id()));
    }

    private CompletableFuture<?> toggleMedia(SocketIOClient client, AuthenticatedUser user, JsonNode payload) {
        CallRequests.ToggleMedia toggle = payloads.read(payload, CallRequests.ToggleMedia.class);
        return send(client, user, new ToggleMediaCommand(CallId.of(toggle.callId()), user.id(),
                toggle.mediaType(), toggle.state()));
    }

    private CallId callIn(JsonNode payload) {
        return CallId.of(payloads.read(payload, CallRequests.CallReference.class).callId());
    }

    /**
     * Sends a call command as the socket's user, with the socket in its audit trail. The socket's answer to the
     * event follows the returned future, which completes once the call history shows the command
     * ({@link CallCommands}): its result is the ack's {@code data}, its failure an {@code error} event and a failed
     * ack.
     */
    private CompletableFuture<?> send(SocketIOClient client, AuthenticatedUser user, CallCommand command) {
        return commands.send(command, audit(client, user));
    }

    private static MetaData audit(SocketIOClient client, AuthenticatedUser user) {
        return AuditTrail.ofSocket(user, client.getSessionId().toString(), SocketSession.of(client).clientAddress());
    }
}
