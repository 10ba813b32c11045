package com.dehive.calling.gateway.cluster;

import com.dehive.calling.shared.UserId;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Which users have sockets connected, on which nodes. */
public interface Presence {

    /** A missed relayed message, ready to send to a socket that came back. */
    record Missed(String event, Object payload) {
    }

    /**
     * A socket now speaks for the user (it has joined the user's room here); answers the signaling the user missed
     * while they had no socket, in order, each handed out once.
     */
    CompletableFuture<List<Missed>> joined(UserId user, String socketId);

    /** A socket of the user closed; answers whether the user still has a socket connected on some node. */
    CompletableFuture<Boolean> left(UserId user, String socketId);

    /** The nodes the user has sockets on (empty when offline). */
    CompletableFuture<List<String>> nodesOf(UserId user);
}
