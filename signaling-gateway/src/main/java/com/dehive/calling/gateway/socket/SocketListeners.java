package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import com.dehive.calling.gateway.auth.AuditTrail;
import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.gateway.call.CallRequests;
import com.dehive.calling.gateway.presence.CallPresence;
import com.dehive.calling.gateway.ratelimit.RateLimits;
import com.dehive.calling.gateway.relay.OneAtATime;
import com.dehive.calling.gateway.relay.Relay;
import com.dehive.calling.gateway.web.Failure;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.call.AcceptCallCommand;
import com.dehive.calling.shared.call.DeclineCallCommand;
import com.dehive.calling.shared.call.EndCallCommand;
import com.dehive.calling.shared.call.StartCallCommand;
import com.dehive.calling.shared.call.ToggleMediaCommand;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static com.dehive.calling.gateway.call.CallRequests.orTrue;

/**
 * The {@code /rtc} events. Thin, like the REST controllers: parse, authorize, dispatch, answer. Listeners run on
 * Netty's I/O threads and never block there: commands go out asynchronously and are answered on completion; the
 * call's state changes reach the sockets through the event notifier, whichever edge caused them.
 */
class SocketListeners {

    private static final Logger log = LoggerFactory.getLogger(SocketListeners.class);

    /** A listener body; throwing (or a failed future) becomes an {@code error} event and a failed ack. */
    private interface Handler {
        CompletableFuture<?> handle(SocketIOClient client, AuthenticatedUser user, JsonNode payload);
    }

    private final CommandGateway commands;
    private final SocketPayloads payloads;
    private final SocketAuthenticator authenticator;
    private final Relay relay;
    private final RateLimits rateLimits;
    private final RateLimits.Limit callStartLimit;
    private final SocketProperties properties;
    private final CallPresence presence;
    private final OneAtATime<UUID> commandsOfSocket = new OneAtATime<>();
    private final OneAtATime<UUID> relaysOfSocket = new OneAtATime<>();

    SocketListeners(CommandGateway commands, SocketPayloads payloads, SocketAuthenticator authenticator, Relay relay,
                    RateLimits rateLimits, RateLimits.Limit callStartLimit, SocketProperties properties,
                    CallPresence presence) {
        this.presence = presence;
        this.commands = commands;
        this.payloads = payloads;
        this.authenticator = authenticator;
        this.relay = relay;
        this.rateLimits = rateLimits;
        this.callStartLimit = callStartLimit;
        this.properties = properties;
    }

    void register(SocketIONamespace rtc) {
        rtc.addAuthTokenListener(this::handshake);
        rtc.addConnectListener(client -> {
            SocketSession session = SocketSession.open(client, properties);
            forgetHandshake(client);
            session.whenSessionChecked((user, failure) -> {
                if (failure == null) {
                    authenticated(client, session, user, "handshake_session");
                } else {
                    SocketReplies.fail(client, null, describe(failure));
                    client.disconnect();
                }
            });
        });
        rtc.addDisconnectListener(client -> {
            SocketSession session = SocketSession.of(client);
            AuthenticatedUser user = session.user();
            if (user != null) {
                presence.socketClosed(client, user, session.clientAddress());
            }
        });
        rtc.addEventListener("ping", JsonNode.class, (client, payload, ack) -> {
            if (withinFloodLimit(client, ack)) {
                var pong = new ServerEvents.Pong(Instant.now(), "pong");
                client.sendEvent("pong", pong);
                SocketReplies.ok(ack, pong);
            }
        });
        rtc.addEventListener("identity", JsonNode.class, (client, payload, ack) -> {
            if (withinFloodLimit(client, ack)) {
                run(client, ack, () -> SocketSession.of(client).afterSessionCheck()
                        .thenCompose(ignored -> identity(client, payload)));
            }
        });
        on(rtc, "startCall", commandsOfSocket, this::startCall);
        on(rtc, "acceptCall", commandsOfSocket, (client, user, payload) -> {
            CallRequests.AcceptCall accept = payloads.read(payload, CallRequests.AcceptCall.class);
            return send(client, user, new AcceptCallCommand(CallId.of(accept.callId()), user.profile(),
                    orTrue(accept.withVideo()), orTrue(accept.withAudio())));
        });
        on(rtc, "declineCall", commandsOfSocket, (client, user, payload) -> send(client, user, new DeclineCallCommand(
                CallId.of(payloads.read(payload, CallRequests.CallReference.class).callId()), user.id())));
        on(rtc, "endCall", commandsOfSocket, (client, user, payload) -> send(client, user, new EndCallCommand(
                CallId.of(payloads.read(payload, CallRequests.CallReference.class).callId()), user.id())));
        on(rtc, "toggleMedia", commandsOfSocket, (client, user, payload) -> {
            CallRequests.ToggleMedia toggle = payloads.read(payload, CallRequests.ToggleMedia.class);
            return send(client, user, new ToggleMediaCommand(CallId.of(toggle.callId()), user.id(),
                    toggle.mediaType(), toggle.state()));
        });
        for (Relay.Signal signal : Relay.Signal.values()) {
            on(rtc, signal.event(), relaysOfSocket, (client, user, payload) -> relay.relay(signal, user.id(), payload));
        }
    }

    /**
     * {@code auth: {token}} or {@code {session_id}} at the handshake. No credential: the socket connects and must
     * use {@code identity}. A session is validated without holding the handshake; the socket's events wait for it,
     * and a refused session closes the socket after an {@code error}.
     */
    private com.corundumstudio.socketio.AuthTokenResult handshake(Object auth, SocketIOClient client) {
        SocketSession session = SocketSession.open(client, properties);
        if (auth instanceof Map<?, ?> credentials && credentials.get("session_id") != null) {
            CompletableFuture<AuthenticatedUser> pending;
            try {
                pending = authenticator.bySession(String.valueOf(credentials.get("session_id")),
                        credentials.get("fingerprint_hashed") == null ? null
                                : String.valueOf(credentials.get("fingerprint_hashed")), session.clientAddress());
            } catch (CallingException e) {
                return new com.corundumstudio.socketio.AuthTokenResult(false, refusal(e));
            }
            session.validatingSession(pending);
            return com.corundumstudio.socketio.AuthTokenResult.AuthTokenResultSuccess;
        }
        if (!(auth instanceof Map<?, ?> credentials) || credentials.get("token") == null) {
            return com.corundumstudio.socketio.AuthTokenResult.AuthTokenResultSuccess;
        }
        try {
            AuthenticatedUser user = authenticator.byToken(String.valueOf(credentials.get("token")),
                    session.clientAddress());
            authenticated(client, session, user, "handshake");
            return com.corundumstudio.socketio.AuthTokenResult.AuthTokenResultSuccess;
        } catch (CallingException e) {
            return new com.corundumstudio.socketio.AuthTokenResult(false, refusal(e));
        }
    }

    /** What a refused handshake tells the client: {@code err.message}, and the error code in {@code err.data}. */
    private static Map<String, Object> refusal(CallingException e) {
        return Map.of("message", e.getMessage(), "data", Map.of("code", e.code().name()));
    }

    /**
     * {@code identity}: a token (or {@code {token}}) authenticates the socket; a bare user id (or
     * {@code {userDehiveId}}) is the original clients' way of saying who they are, accepted only for the user the
     * handshake already proved.
     */
    private CompletableFuture<?> identity(SocketIOClient client, JsonNode payload) {
        SocketSession session = SocketSession.of(client);
        JsonNode claim = payload;
        if (payload != null && payload.isTextual() && payload.textValue().trim().startsWith("{")) {
            claim = payloads.tree(payload);
        }
        AuthenticatedUser user;
        if (claim != null && claim.isObject() && claim.hasNonNull("session_id")) {
            return authenticator.bySession(claim.get("session_id").asText(),
                    claim.hasNonNull("fingerprint_hashed") ? claim.get("fingerprint_hashed").asText() : null,
                    session.clientAddress()).thenApply(sessionUser -> {
                        authenticated(client, session, sessionUser, "identity_session");
                        return confirm(client, sessionUser);
                    });
        }
        if (claim != null && claim.isObject() && claim.hasNonNull("token")) {
            user = authenticator.byToken(claim.get("token").asText(), session.clientAddress());
            authenticated(client, session, user, "identity");
        } else {
            String claimed = claim == null ? null
                    : claim.isTextual() ? claim.textValue()
                    : claim.isObject() && claim.hasNonNull("userDehiveId") ? claim.get("userDehiveId").asText()
                    : null;
            if (claimed == null) {
                throw new CallingException(ErrorCode.VALIDATION_FAILED,
                        "identity takes a user id, {userDehiveId}, or {token}");
            }
            user = session.user();
            if (user == null) {
                throw new CallingException(ErrorCode.AUTHENTICATION_REQUIRED,
                        "Authenticate with a token (handshake auth or identity {token}) first");
            }
            if (!user.id().toString().equals(claimed)) {
                throw new CallingException(ErrorCode.IDENTITY_MISMATCH, "That is not the authenticated user");
            }
        }
        return CompletableFuture.completedFuture(confirm(client, user));
    }

    /** The socket now speaks for the user: it joins the user's room and, if they were gone from a call, rejoins it. */
    private void authenticated(SocketIOClient client, SocketSession session, AuthenticatedUser user, String via) {
        boolean first = session.authenticate(user);
        client.joinRoom(SocketClients.room(user.id()));
        log.info("event=socket_authenticated socket={} user={} via={}", client.getSessionId(), user.id(), via);
        if (first) {
            presence.socketAuthenticated(client, user, session.clientAddress());
        }
    }

    private static ServerEvents.IdentityConfirmed confirm(SocketIOClient client, AuthenticatedUser user) {
        var confirmed = new ServerEvents.IdentityConfirmed(user.id().toString(), "success", Instant.now());
        client.sendEvent("identityConfirmed", confirmed);
        return confirmed;
    }

    private CompletableFuture<?> startCall(SocketIOClient client, AuthenticatedUser user, JsonNode payload) {
        CallRequests.StartCall start = payloads.read(payload, CallRequests.StartCall.class);
        return rateLimits.consumeAsync(callStartLimit, user.id().toString()).thenCompose(allowed ->
                send(client, user, new StartCallCommand(CallId.newId(), user.profile(),
                        UserId.of(start.targetUserId()), orTrue(start.withVideo()), orTrue(start.withAudio()))));
    }

    private CompletableFuture<?> send(SocketIOClient client, AuthenticatedUser user, Object command) {
        return commands.send(command, AuditTrail.ofSocket(user, client.getSessionId().toString(),
                SocketSession.of(client).clientAddress()));
    }

    /**
     * Events of one kind (commands, relayed messages) on one socket are handled one after the other, in the order
     * they came: an event may wait for the session check of the handshake, a call start for its rate limit in Redis,
     * a relayed message for a call to be looked up, and a mute then an unmute must not swap places.
     */
    private void on(SocketIONamespace rtc, String event, OneAtATime<UUID> ofSocket, Handler handler) {
        rtc.addEventListener(event, JsonNode.class, (client, payload, ack) -> {
            if (!withinFloodLimit(client, ack)) {
                return;
            }
            SocketSession session = SocketSession.of(client);
            run(client, ack, () -> ofSocket.run(client.getSessionId(), () -> session.afterSessionCheck()
                    .thenCompose(ignored -> handler.handle(client, session.requireUser(), payload))));
        });
    }

    private void run(SocketIOClient client, AckRequest ack, Supplier<CompletableFuture<?>> body) {
        CompletableFuture<?> outcome;
        try {
            outcome = body.get();
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((result, failure) -> {
            if (failure == null) {
                SocketReplies.ok(ack, result);
            } else {
                SocketReplies.fail(client, ack, describe(failure));
            }
        });
    }

    private static Failure describe(Throwable failure) {
        Throwable cause = Failure.unwrap(failure);
        if (cause instanceof SocketPayloads.Rejected rejected) {
            return rejected.failure();
        }
        Failure described = Failure.describe(cause);
        if (described.code() == ErrorCode.INTERNAL) {
            log.error("event=socket_event_failed", cause);
        }
        return described;
    }

    private boolean withinFloodLimit(SocketIOClient client, AckRequest ack) {
        if (SocketSession.of(client).withinFloodLimit()) {
            return true;
        }
        SocketReplies.fail(client, ack, Failure.of(ErrorCode.RATE_LIMITED,
                "Too many messages on this socket: slow down"));
        return false;
    }

    /**
     * netty-socketio keeps the handshake's request headers, query and {@code auth} payload for the socket's whole
     * life: a browser's headers alone are a kilobyte or more (cookies, user agent), and the payload holds the token.
     * Once connected, only the client's address is needed here (the socket's session has it) and the Origin by
     * netty-socketio (for every packet it sends); the rest is dropped.
     */
    private static void forgetHandshake(SocketIOClient client) {
        HandshakeData handshake = client.getHandshakeData();
        HttpHeaders headers = handshake.getHttpHeaders();
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        headers.clear();
        if (origin != null) {
            headers.set(HttpHeaderNames.ORIGIN, origin);
        }
        handshake.getUrlParams().clear();
        handshake.setAuthToken(null);
    }
}
