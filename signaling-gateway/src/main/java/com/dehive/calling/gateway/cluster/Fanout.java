package com.dehive.calling.gateway.cluster;

import com.dehive.calling.shared.UserId;

/**
 * Relayed signaling, on one node or across several: a message goes to the receiver's answering socket if it is
 * still connected, else to every socket of the receiver wherever it is, else it is kept for when they come back
 * within the grace period. Messages leave in the order they are asked for. (Notifications do not come this way:
 * every node's notifier tells its own sockets.)
 */
public interface Fanout {

    void signal(UserId user, String preferredSocket, String event, Object payload);

    /** The call is over: signaling kept for its participants is of no use any more. */
    void callEnded(UserId caller, UserId callee);
}
