package com.dehive.calling.gateway.cluster;

import com.dehive.calling.gateway.relay.MissedSignals;
import com.dehive.calling.gateway.relay.ParticipationView;
import com.dehive.calling.gateway.socket.SocketClients;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;

/** One node: every socket is connected here, so events go straight to them. */
public class LocalFanout implements Fanout {

    private final SocketClients clients;
    private final ParticipationView view;
    private final MissedSignals missed;
    private final Counter held;
    private final Counter dropped;

    public LocalFanout(SocketClients clients, ParticipationView view, MissedSignals missed, MeterRegistry meters) {
        this.clients = clients;
        this.view = view;
        this.missed = missed;
        this.held = meters.counter("calling.signaling.held");
        this.dropped = meters.counter("calling.signaling.dropped");
    }

    @Override
    public void toUser(UserId user, String event, Object payload) {
        clients.toUser(user, event, payload);
    }

    @Override
    public void toUserExcept(UserId user, String exceptSocket, String event, Object payload) {
        clients.toUserExcept(user, exceptSocket, event, payload);
    }

    @Override
    public void toSocket(String socketId, String event, Object payload) {
        clients.toSocket(socketId, event, payload);
    }

    @Override
    public void signal(UserId user, String preferredSocket, String event, Object payload) {
        if (preferredSocket != null && clients.toSocket(preferredSocket, event, payload)) {
            return;
        }
        if (clients.toUser(user, event, payload) == 0) {
            held.increment();
            if (!missed.keep(user, event, payload)) {
                dropped.increment();
            }
        }
    }

    @Override
    public void callStarted(CallId callId, UserId caller, UserId callee, Instant startedAt) {
        view.started(callId, caller, callee, startedAt);
    }

    @Override
    public void callAccepted(CallId callId, String calleeSocket) {
        view.accepted(callId, calleeSocket);
    }

    @Override
    public void callReconnected(CallId callId, UserId participant, String socketId) {
        view.reconnected(callId, participant, socketId);
    }

    @Override
    public void callEnded(CallId callId, UserId caller, UserId callee) {
        view.ended(callId);
        missed.forget(caller);
        missed.forget(callee);
    }
}
