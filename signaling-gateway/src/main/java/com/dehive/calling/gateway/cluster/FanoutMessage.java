package com.dehive.calling.gateway.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;


/**
 * What one node tells the others over Redis pub/sub: a relayed message to hand to the receiver's sockets that it
 * holds, to one socket or to every socket of a user.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
record FanoutMessage(String origin, String user, String socket, String event, JsonNode payload) {

    static FanoutMessage toUser(String origin, String user, String event, JsonNode payload) {
        return new FanoutMessage(origin, user, null, event, payload);
    }

    static FanoutMessage toSocket(String origin, String socket, String event, JsonNode payload) {
        return new FanoutMessage(origin, null, socket, event, payload);
    }
}
