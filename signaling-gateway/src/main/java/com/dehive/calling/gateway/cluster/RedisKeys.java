package com.dehive.calling.gateway.cluster;

import com.dehive.calling.shared.UserId;

/**
 * The Redis keys the nodes share. A node is alive while its key exists (each node refreshes its own every few
 * seconds); the presence hash of a user maps each of their sockets to its node, so sockets of a dead node stop
 * counting the moment its key expires, before anyone cleans them up.
 */
final class RedisKeys {

    static final String CHANNEL = "calling:fanout";
    static final String NODES = "calling:nodes";
    /** Lua builds it as NODE_PREFIX .. node. */
    static final String NODE_PREFIX = "calling:node:";
    /** Lua builds it as PRESENCE_PREFIX .. user. */
    static final String PRESENCE_PREFIX = "calling:presence:";

    private RedisKeys() {
    }

    static String node(String nodeId) {
        return NODE_PREFIX + nodeId;
    }

    static String presence(UserId user) {
        return PRESENCE_PREFIX + user;
    }

    static String missed(UserId user) {
        return "calling:missed:" + user;
    }

    /** Which sockets ("user socket") a node holds, so that a dead node's sockets can be found and cleaned. */
    static String socketsOfNode(String nodeId) {
        return "calling:node-sockets:" + nodeId;
    }
}
