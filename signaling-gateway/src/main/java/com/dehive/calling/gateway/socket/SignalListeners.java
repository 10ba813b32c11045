package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.SocketIONamespace;
import com.dehive.calling.gateway.relay.OneAtATime;
import com.dehive.calling.gateway.relay.Relay;

import java.util.UUID;

/**
 * The signaling a participant relays to the other one: {@code signalOffer}, {@code signalAnswer},
 * {@code iceCandidate}. One socket's messages are relayed one after the other, in the order they came.
 */
final class SignalListeners implements SocketListeners {

    private final Relay relay;
    private final OneAtATime<UUID> relaysOfSocket = new OneAtATime<>();

    SignalListeners(Relay relay) {
        this.relay = relay;
    }

    @Override
    public void register(SocketIONamespace rtc) {
        for (Relay.Signal signal : Relay.Signal.values()) {
            ClientEvents.onAuthenticated(rtc, signal.event(), relaysOfSocket,
                    (client, user, payload) -> relay.relay(signal, user.id(), payload));
        }
    }
}
