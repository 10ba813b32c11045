package com.dehive.calling.gateway.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * What one node tells the others over Redis pub/sub: a socket event to deliver to the sockets it holds
 * ({@code kind} {@code deliver}), or a change of a live call the relay must know of ({@code started},
 * {@code accepted}, {@code reconnected}, {@code ended}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FanoutMessage(String kind, String origin,
                     String user, String socket, String exceptSocket, String event, JsonNode payload,
                     String callId, String caller, String callee, Instant startedAt) {

    static final String DELIVER = "deliver";

    static FanoutMessage toUser(String origin, String user, String exceptSocket, String event, JsonNode payload) {
        return new FanoutMessage(DELIVER, origin, user, null, exceptSocket, event, payload, null, null, null, null);
    }

    static FanoutMessage toSocket(String origin, String socket, String event, JsonNode payload) {
        return new FanoutMessage(DELIVER, origin, null, socket, null, event, payload, null, null, null, null);
    }

    static FanoutMessage call(String kind, String origin, String callId, String caller, String callee, String socket,
                              Instant startedAt) {
        return new FanoutMessage(kind, origin, null, socket, null, null, null, callId, caller, callee, startedAt);
    }
}
