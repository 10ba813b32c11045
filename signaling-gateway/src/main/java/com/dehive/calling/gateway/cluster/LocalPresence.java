package com.dehive.calling.gateway.cluster;

import com.dehive.calling.gateway.relay.MissedSignals;
import com.dehive.calling.gateway.socket.SocketClients;
import com.dehive.calling.shared.UserId;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One node: presence is this node's own sockets, and missed signaling is kept in memory. */
public class LocalPresence implements Presence {

    private final SocketClients clients;
    private final MissedSignals missed;
    private final String nodeId;

    public LocalPresence(SocketClients clients, MissedSignals missed, String nodeId) {
        this.clients = clients;
        this.missed = missed;
        this.nodeId = nodeId;
    }

    @Override
    public CompletableFuture<List<Missed>> joined(UserId user, String socketId) {
        return CompletableFuture.completedFuture(missed.takeAll(user).stream()
                .map(signal -> new Missed(signal.event(), signal.payload())).toList());
    }

    @Override
    public CompletableFuture<Boolean> left(UserId user, String socketId) {
        return CompletableFuture.completedFuture(clients.socketsOfExcept(user, socketId) > 0);
    }

    @Override
    public CompletableFuture<List<String>> nodesOf(UserId user) {
        return CompletableFuture.completedFuture(
                clients.socketsOfExcept(user, null) > 0 ? List.of(nodeId) : List.of());
    }
}
