package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.SocketIONamespace;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** {@code ping}, which any socket may send, authenticated or not: answered with {@code pong}. */
final class PingListener implements SocketListeners {

    @Override
    public void register(SocketIONamespace rtc) {
        ClientEvents.on(rtc, "ping", (client, payload) -> {
            var pong = new ServerEvents.Pong(Instant.now(), "pong");
            client.sendEvent("pong", pong);
            return CompletableFuture.completedFuture(pong);
        });
    }
}
