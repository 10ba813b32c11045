package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.gateway.relay.OneAtATime;
import com.dehive.calling.gateway.web.Failure;
import com.dehive.calling.shared.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * How every event a client sends is taken in: the socket's flood limit first, then the listener's body, then the
 * answer ({@code {ok, data}} to an ack; an {@code error} event and a failed ack for a failure). An event only an
 * authenticated socket may send also keeps its place in line and waits for a session given at the handshake.
 *
 * <p>Listeners are called on the socket's Netty I/O thread. Redis, the session service and the call look-ups of the
 * relay answer with futures, so listeners do not hold the thread for them. Call commands do: Axon's
 * {@code SimpleCommandBus} handles a command on the thread that sends it, so the command's handler loads the call
 * and appends its events (and commits the embedded store's file) on the I/O thread that received it, or on the
 * thread that completed what the command waited for (a call start's rate limit in Redis answers on a Lettuce thread;
 * a command behind the socket's previous one runs where that one finished). The sockets of that I/O thread wait
 * meanwhile, which is why the server runs at least two ({@link SocketServer}).
 */
final class ClientEvents {

    /** A listener's body; throwing (or a failed future) becomes an {@code error} event and a failed ack. */
    interface Handler {
        CompletableFuture<?> handle(SocketIOClient client, JsonNode payload);
    }

    /** The body of an event only an authenticated socket may send. */
    interface AuthenticatedHandler {
        CompletableFuture<?> handle(SocketIOClient client, AuthenticatedUser user, JsonNode payload);
    }

    private ClientEvents() {
    }

    /** An event any socket may send, handled as soon as it comes. */
    static void on(SocketIONamespace rtc, String event, Handler handler) {
        rtc.addEventListener(event, JsonNode.class, (client, payload, ack) -> {
            if (SocketSession.of(client).withinFloodLimit()) {
                answer(client, ack, () -> handler.handle(client, payload));
            } else {
                SocketReplies.fail(client, ack, Failure.of(ErrorCode.RATE_LIMITED,
                        "Too many messages on this socket: slow down"));
            }
        });
    }

    /**
     * An event only an authenticated socket may send. Events of one kind (commands, relayed messages) on one socket
     * are handled one after the other, in the order they came ({@code ofSocket}): an event may wait for the session
     * check of the handshake, a call start for its rate limit in Redis, a relayed message for a call to be looked up,
     * and a mute then an unmute must not swap places.
     */
    static void onAuthenticated(SocketIONamespace rtc, String event, OneAtATime<UUID> ofSocket,
                                AuthenticatedHandler handler) {
        on(rtc, event, (client, payload) -> {
            SocketSession session = SocketSession.of(client);
            return ofSocket.run(client.getSessionId(), () -> session.afterSessionCheck()
                    .thenCompose(ignored -> handler.handle(client, session.requireUser(), payload)));
        });
    }

    private static void answer(SocketIOClient client, AckRequest ack, Supplier<CompletableFuture<?>> body) {
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
                SocketReplies.fail(client, ack, failure);
            }
        });
    }
}
