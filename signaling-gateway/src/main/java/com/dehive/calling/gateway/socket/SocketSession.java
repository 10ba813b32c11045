package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.SocketIOClient;
import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import io.github.bucket4j.Bucket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * What the server keeps about one socket while it is connected, as one attribute of the client: the client's
 * address, its flood limit, a session given at the handshake while it is being validated, and the user the socket
 * speaks for once authenticated. Opened at the handshake (when the client sends credentials) or at connect,
 * whichever comes first, so every listener finds it.
 */
final class SocketSession {

    private static final String ATTRIBUTE = SocketSession.class.getName();

    private final String clientAddress;
    private final Bucket flood;
    private final AtomicReference<AuthenticatedUser> user = new AtomicReference<>();
    /** A session given at the handshake, being validated; once connected, its outcome acted on. */
    private volatile CompletableFuture<AuthenticatedUser> sessionCheck;

    private SocketSession(String clientAddress, Bucket flood) {
        this.clientAddress = clientAddress;
        this.flood = flood;
    }

    /** The socket's session, opened now if it has none yet. */
    static SocketSession open(SocketIOClient client, SocketProperties limits) {
        SocketSession session = client.get(ATTRIBUTE);
        if (session == null) {
            HandshakeData handshake = client.getHandshakeData();
            session = new SocketSession(
                    clientAddress(handshake.getAddress(), handshake.getHttpHeaders().get("X-Forwarded-For")),
                    Bucket.builder()
                            .addLimit(limit -> limit.capacity(limits.floodBurst())
                                    .refillGreedy(limits.floodPerSecond(), Duration.ofSeconds(1)))
                            .build());
            client.set(ATTRIBUTE, session);
        }
        return session;
    }

    /** The session of a socket that has been opened (every socket a listener hears of). */
    static SocketSession of(SocketIOClient client) {
        SocketSession session = client.get(ATTRIBUTE);
        if (session == null) {
            throw new IllegalStateException("socket " + client.getSessionId() + " has no session yet");
        }
        return session;
    }

    /**
     * The client's address; behind a proxy on this host or the private network (nginx), the first address of its
     * X-Forwarded-For. Worked out once, from the handshake: its headers are dropped once the socket connects.
     */
    static String clientAddress(InetSocketAddress remote, String forwardedFor) {
        InetAddress address = remote == null ? null : remote.getAddress();
        if (address == null) {
            return "unknown";
        }
        boolean fromOurProxy = address.isLoopbackAddress() || address.isSiteLocalAddress();
        if (fromOurProxy && forwardedFor != null && !forwardedFor.isBlank()) {
            return forwardedFor.split(",")[0].trim();
        }
        return address.getHostAddress();
    }

    String clientAddress() {
        return clientAddress;
    }

    /** Counts one message against the socket's flood limit; false when the socket sends faster than it allows. */
    boolean withinFloodLimit() {
        return flood.tryConsume(1);
    }

    /** The user the socket speaks for, or null until it has authenticated. */
    AuthenticatedUser user() {
        return user.get();
    }

    /** The user the socket speaks for; refused until it has authenticated. */
    AuthenticatedUser requireUser() {
        AuthenticatedUser authenticated = user.get();
        if (authenticated == null) {
            throw new CallingException(ErrorCode.AUTHENTICATION_REQUIRED,
                    "Authenticate first (handshake auth, or identity with a token or session_id)");
        }
        return authenticated;
    }

    /** The socket now speaks for the user; answers whether it spoke for nobody before. */
    boolean authenticate(AuthenticatedUser authenticated) {
        return user.getAndSet(authenticated) == null;
    }

    /** A session given at the handshake is being validated; the socket's events will wait for it. */
    void validatingSession(CompletableFuture<AuthenticatedUser> check) {
        sessionCheck = check;
    }

    /**
     * Once connected, acts on the outcome of the handshake's session check (an error sent before the namespace's
     * connect never reaches the client); until it has, the socket's events wait. Nothing when no session was given.
     */
    void whenSessionChecked(BiConsumer<AuthenticatedUser, Throwable> outcome) {
        CompletableFuture<AuthenticatedUser> check = sessionCheck;
        if (check != null) {
            sessionCheck = check.whenComplete(outcome);
        }
    }

    /** Completes once the handshake's session check has been acted on, whatever its outcome (at once without one). */
    CompletableFuture<?> afterSessionCheck() {
        CompletableFuture<AuthenticatedUser> check = sessionCheck;
        if (check == null || check.isDone()) {
            return CompletableFuture.completedFuture(null);
        }
        return check.handle((authenticated, failure) -> null);
    }
}
