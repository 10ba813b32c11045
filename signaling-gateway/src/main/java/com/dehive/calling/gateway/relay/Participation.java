package com.dehive.calling.gateway.relay;

import com.dehive.calling.shared.UserId;

import java.time.Instant;

/**
 * Who may signal in a live call, and where the callee's signaling goes: the socket that accepted, or (while the
 * call rings, or when it was accepted elsewhere than a socket) all of the callee's sockets.
 */
public record Participation(String callId, UserId caller, UserId callee, boolean connected, String calleeSocket,
                            Instant startedAt) {

    public boolean hasParticipant(UserId user) {
        return caller.equals(user) || callee.equals(user);
    }

    public UserId otherThan(UserId user) {
        return caller.equals(user) ? callee : caller;
    }

    Participation accepted(String socketId) {
        return new Participation(callId, caller, callee, true, socketId, startedAt);
    }
}
