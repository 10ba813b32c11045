package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.gateway.presence.CallPresence;
import com.dehive.calling.shared.CallingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Who a socket speaks for: a credential at the handshake or in {@code identity}, a session given at the handshake
 * acted on once the socket has connected, and the user's presence, which the socket joins when it authenticates and
 * leaves when it closes.
 */
final class IdentityListeners implements SocketListeners {

    private static final Logger log = LoggerFactory.getLogger(IdentityListeners.class);

    private final SocketAuthenticator authenticator;
    private final SocketPayloads payloads;
    private final CallPresence presence;
    private final SocketProperties limits;

    IdentityListeners(SocketAuthenticator authenticator, SocketPayloads payloads, CallPresence presence,
                      SocketProperties limits) {
        this.authenticator = authenticator;
        this.payloads = payloads;
        this.presence = presence;
        this.limits = limits;
    }

    @Override
    public void register(SocketIONamespace rtc) {
        rtc.addAuthTokenListener(this::handshake);
        rtc.addConnectListener(this::connected);
        rtc.addDisconnectListener(this::disconnected);
        ClientEvents.on(rtc, "identity", this::identity);
    }

    /**
     * {@code auth: {token}} or {@code {session_id}} at the handshake. No credential: the socket connects and must
     * use {@code identity}. A session is validated without holding the handshake; the socket's events wait for it,
     * and a refused session closes the socket after an {@code error}.
     */
    private AuthTokenResult handshake(Object auth, SocketIOClient client) {
        SocketSession session = SocketSession.open(client, limits);
        Map<?, ?> credentials = auth instanceof Map<?, ?> given ? given : Map.of();
        try {
            if (credentials.get("session_id") != null) {
                session.validatingSession(authenticator.bySession(text(credentials, "session_id"),
                        text(credentials, "fingerprint_hashed"), session.clientAddress()));
            } else if (credentials.get("token") != null) {
                AuthenticatedUser user = authenticator.byToken(text(credentials, "token"), session.clientAddress());
                signIn(client, session, user, "handshake");
            }
            return AuthTokenResult.AuthTokenResultSuccess;
        } catch (CallingException e) {
            // what a refused handshake tells the client: err.message, and the error code in err.data
            return new AuthTokenResult(false,
                    Map.of("message", e.getMessage(), "data", Map.of("code", e.code().name())));
        }
    }

    private static String text(Map<?, ?> credentials, String name) {
        Object value = credentials.get(name);
        return value == null ? null : String.valueOf(value);
    }

    private void connected(SocketIOClient client) {
        SocketSession session = SocketSession.open(client, limits);
        forgetHandshake(client);
        session.whenSessionChecked((user, failure) -> {
            if (failure == null) {
                signIn(client, session, user, "handshake_session");
            } else {
                SocketReplies.fail(client, null, failure);
                client.disconnect();
            }
        });
    }

    private void disconnected(SocketIOClient client) {
        SocketSession session = SocketSession.of(client);
        AuthenticatedUser user = session.user();
        if (user != null) {
            presence.socketClosed(client, user, session.clientAddress());
        }
    }

    /**
     * {@code identity}: a token or a session authenticates the socket; a bare user id (or {@code {userDehiveId}}) is
     * accepted only for the user the handshake already proved. Waits for a session given at the handshake.
     */
    private CompletableFuture<ServerEvents.IdentityConfirmed> identity(SocketIOClient client, JsonNode payload) {
        SocketSession session = SocketSession.of(client);
        return session.afterSessionCheck()
                .thenCompose(ignored -> identify(client, session, IdentityClaim.read(payload, payloads)));
    }

    private CompletableFuture<ServerEvents.IdentityConfirmed> identify(SocketIOClient client, SocketSession session,
                                                                      IdentityClaim claim) {
        if (claim instanceof IdentityClaim.Session given) {
            return authenticator.bySession(given.sessionId(), given.fingerprint(), session.clientAddress())
                    .thenApply(user -> {
                        signIn(client, session, user, "identity_session");
                        return confirm(client, user);
                    });
        }
        if (claim instanceof IdentityClaim.Token given) {
            AuthenticatedUser user = authenticator.byToken(given.token(), session.clientAddress());
            signIn(client, session, user, "identity");
            return CompletableFuture.completedFuture(confirm(client, user));
        }
        AuthenticatedUser user = ((IdentityClaim.ClaimedUser) claim).confirmedBy(session.user());
        return CompletableFuture.completedFuture(confirm(client, user));
    }

    /** The socket now speaks for the user: it joins the user's room and, if they were gone from a call, rejoins it. */
    private void signIn(SocketIOClient client, SocketSession session, AuthenticatedUser user, String via) {
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
