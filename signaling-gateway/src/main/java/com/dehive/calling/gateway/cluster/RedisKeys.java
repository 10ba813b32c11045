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
    private static final String NODE_PREFIX = "calling:node:";
    private static final String PRESENCE_PREFIX = "calling:presence:";

    /** Lua, put in front of the scripts that use them: whether a node is alive, and a user's presence hash. */
    static final String LUA_FUNCTIONS = """
            local function live(node)
              return node and redis.call('EXISTS', '%s' .. node) == 1
            end
            local function presence(user)
              return '%s' .. user
            end
            """.formatted(NODE_PREFIX, PRESENCE_PREFIX);

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
