package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIONamespace;
import com.dehive.calling.shared.UserId;

import java.util.UUID;

/**
 * Where a socket event goes: to every socket of a user (the room {@code user:<id>}, which a socket joins when it
 * authenticates), or to one socket.
 */
public class SocketClients {

    private volatile SocketIONamespace namespace;

    void attach(SocketIONamespace namespace) {
        this.namespace = namespace;
    }

    public static String room(UserId user) {
        return "user:" + user;
    }

    /** Sends to every socket of the user on this node; answers how many it reached. */
    public int toUser(UserId user, String event, Object payload) {
        SocketIONamespace rtc = namespace;
        if (rtc == null) {
            return 0;
        }
        var sockets = rtc.getRoomOperations(room(user)).getClients();
        sockets.forEach(client -> client.sendEvent(event, payload));
        return sockets.size();
    }

    /** Sends to every socket of the user but one. */
    public void toUserExcept(UserId user, String socketId, String event, Object payload) {
        SocketIONamespace rtc = namespace;
        if (rtc == null) {
            return;
        }
        for (SocketIOClient client : rtc.getRoomOperations(room(user)).getClients()) {
            if (!client.getSessionId().toString().equals(socketId)) {
                client.sendEvent(event, payload);
            }
        }
    }

    /** Sends to one socket, if it is still connected here; answers whether it was. */
    public boolean toSocket(String socketId, String event, Object payload) {
        SocketIONamespace rtc = namespace;
        if (rtc == null || socketId == null) {
            return false;
        }
        SocketIOClient client = rtc.getClient(UUID.fromString(socketId));
        if (client == null) {
            return false;
        }
        client.sendEvent(event, payload);
        return true;
    }

    public int connectedCount() {
        SocketIONamespace rtc = namespace;
        return rtc == null ? 0 : rtc.getAllClients().size();
    }

    /** How many sockets of the user are connected here, not counting one (that is leaving). */
    public long socketsOfExcept(UserId user, String socketId) {
        SocketIONamespace rtc = namespace;
        return rtc == null ? 0 : rtc.getRoomOperations(room(user)).getClients().stream()
                .filter(client -> client.isChannelOpen() && !client.getSessionId().toString().equals(socketId))
                .count();
    }
}
