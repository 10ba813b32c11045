package com.dehive.calling.gateway.auth;

import com.dehive.calling.shared.audit.AuditMetaData;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.messaging.MetaData;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The audit metadata a command carries from the edge: who asked, how they proved it, through what, from where. */
public final class AuditTrail {

    public static final String REST = "rest";
    public static final String SOCKET = "socket";

    private AuditTrail() {
    }

    /** For a command that came over REST, from the request's client address. */
    public static MetaData ofRequest(AuthenticatedUser user, HttpServletRequest request) {
        return of(user, REST, request.getRemoteAddr());
    }

    /** For a command that came through a socket: the socket's id travels to the events it causes. */
    public static MetaData ofSocket(AuthenticatedUser user, String socketId, String clientAddress) {
        return of(user, SOCKET, clientAddress).and(AuditMetaData.SOCKET_ID, socketId);
    }

    public static MetaData of(AuthenticatedUser user, String channel, String clientAddress) {
        Map<String, Object> entries = new HashMap<>();
        entries.put(AuditMetaData.ACTOR_ID, user.id().toString());
        entries.put(AuditMetaData.AUTH_METHOD, user.method().name().toLowerCase(Locale.ROOT));
        entries.put(AuditMetaData.CHANNEL, channel);
        if (clientAddress != null) {
            entries.put(AuditMetaData.CLIENT_ADDRESS, clientAddress);
        }
        return MetaData.from(entries);
    }
}
