package com.dehive.calling.gateway.cluster;

import com.dehive.calling.gateway.relay.MissedSignals;
import com.dehive.calling.gateway.socket.SocketClients;
import com.dehive.calling.shared.UserId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** One node: every socket is connected here, so signaling goes straight to it. */
public class LocalFanout implements Fanout {

    private final SocketClients clients;
    private final MissedSignals missed;
    private final Counter held;
    private final Counter dropped;

    public LocalFanout(SocketClients clients, MissedSignals missed, MeterRegistry meters) {
        this.clients = clients;
        this.missed = missed;
        this.held = meters.counter("calling.signaling.held");
        this.dropped = meters.counter("calling.signaling.dropped");
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
    public void callEnded(UserId caller, UserId callee) {
        missed.forget(caller);
        missed.forget(callee);
    }
}
