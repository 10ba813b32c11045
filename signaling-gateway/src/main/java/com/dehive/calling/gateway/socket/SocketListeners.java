package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.SocketIONamespace;

/**
 * One group of {@code /rtc} listeners: identity, ping, the call commands, the relayed signaling. Each group registers
 * its listeners itself when the server starts (netty-socketio's annotation scanner is unreliable). Thin, like the
 * REST controllers: parse, authorize, dispatch, answer ({@link ClientEvents}); the call's state changes reach the
 * sockets through the event notifier, whichever edge caused them.
 */
interface SocketListeners {

    void register(SocketIONamespace rtc);
}
