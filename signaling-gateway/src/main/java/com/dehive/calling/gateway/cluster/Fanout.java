package com.dehive.calling.gateway.cluster;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;

import java.time.Instant;

/**
 * Where socket events go, on one node or across several: to every socket of a user wherever it is connected, to
 * one socket, and the relay's signaling, which is kept for a user who has no socket right now. The live calls every
 * node relays for are kept current through it too. Deliveries leave in the order they are asked for.
 */
public interface Fanout {

    void toUser(UserId user, String event, Object payload);

    /** To every socket of the user but one (the socket that acted gets its own shape of the news). */
    void toUserExcept(UserId user, String exceptSocket, String event, Object payload);

    void toSocket(String socketId, String event, Object payload);

    /**
     * Relayed signaling: to the given socket if it is still connected (the callee's answering device), otherwise to
     * every socket of the user, otherwise kept for when they come back within the grace period.
     */
    void signal(UserId user, String preferredSocket, String event, Object payload);

    void callStarted(CallId callId, UserId caller, UserId callee, Instant startedAt);

    void callAccepted(CallId callId, String calleeSocket);

    void callReconnected(CallId callId, UserId participant, String socketId);

    void callEnded(CallId callId, UserId caller, UserId callee);
}
