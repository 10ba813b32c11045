package com.dehive.calling.gateway.cluster;

import com.dehive.calling.gateway.socket.SocketClients;
import com.dehive.calling.shared.UserId;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * Several nodes: every relayed message is published once on one Redis channel, and each node hands it to the
 * sockets it holds, so a socket gets it exactly once wherever it is. One connection publishes, in the order messages
 * are relayed, and one subscription receives in that order, so nothing is reordered within a call. Signaling for a
 * user with no live socket on any node is kept in Redis (in order, for the grace period) and handed out when they
 * come back, on whichever node.
 */
public class RedisFanout implements Fanout, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RedisFanout.class);

    /** Publishes to the socket if it is live, else to the user if they have a live socket, else keeps it. */
    private static final RedisScript SIGNAL = new RedisScript(RedisKeys.LUA_FUNCTIONS + """
            if ARGV[1] ~= '' and live(redis.call('HGET', KEYS[1], ARGV[1])) then
              redis.call('PUBLISH', ARGV[4], ARGV[2])
              return 1
            end
            local entries = redis.call('HGETALL', KEYS[1])
            for i = 2, #entries, 2 do
              if live(entries[i]) then
                redis.call('PUBLISH', ARGV[4], ARGV[3])
                return 1
              end
            end
            redis.call('RPUSH', KEYS[2], ARGV[3])
            redis.call('PEXPIRE', KEYS[2], ARGV[5])
            if redis.call('LLEN', KEYS[2]) > tonumber(ARGV[6]) then
              redis.call('LPOP', KEYS[2])
              return -1
            end
            return 0
            """, ScriptOutputType.INTEGER);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final SocketClients clients;
    private final ObjectMapper json;
    private final String nodeId;
    private final Duration keepMissedFor;
    private final int maxMissedPerUser;
    private final Counter held;
    private final Counter dropped;
    private volatile StatefulRedisPubSubConnection<String, String> subscription;

    public RedisFanout(RedisClient client, SocketClients clients, ObjectMapper json,
                       String nodeId, Duration keepMissedFor, int maxMissedPerUser, MeterRegistry meters) {
        this.client = client;
        this.connection = client.connect();
        this.redis = connection.async();
        this.clients = clients;
        this.json = json;
        this.nodeId = nodeId;
        this.keepMissedFor = keepMissedFor;
        this.maxMissedPerUser = maxMissedPerUser;
        this.held = meters.counter("calling.signaling.held");
        this.dropped = meters.counter("calling.signaling.dropped");
    }

    @Override
    public void signal(UserId user, String preferredSocket, String event, Object payload) {
        JsonNode tree = json.valueToTree(payload);
        String toSocket = preferredSocket == null ? ""
                : write(FanoutMessage.toSocket(nodeId, preferredSocket, event, tree));
        String toUser = write(FanoutMessage.toUser(nodeId, user.toString(), event, tree));
        SIGNAL.<Long>run(redis, new String[]{RedisKeys.presence(user), RedisKeys.missed(user)},
                        preferredSocket == null ? "" : preferredSocket, toSocket, toUser, RedisKeys.CHANNEL,
                        String.valueOf(keepMissedFor.toMillis()), String.valueOf(maxMissedPerUser))
                .whenComplete((outcome, failure) -> {
                    if (failure != null) {
                        dropped.increment();
                        log.warn("event=signal_not_published user={} error={}", user, failure.toString());
                    } else if (outcome == 0) {
                        held.increment();
                    } else if (outcome < 0) {
                        held.increment();
                        dropped.increment();
                    }
                });
    }

    @Override
    public void callEnded(UserId caller, UserId callee) {
        redis.del(RedisKeys.missed(caller), RedisKeys.missed(callee));
    }

    private String write(FanoutMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a fanout message could not be written", e);
        }
    }

    /** A message from the channel (ours included): it goes to the sockets held here. */
    void received(String text) {
        FanoutMessage message;
        try {
            message = json.readValue(text, FanoutMessage.class);
        } catch (JsonProcessingException e) {
            log.warn("event=fanout_message_unreadable error={}", e.getOriginalMessage());
            return;
        }
        deliverHere(message);
    }

    /** Hands a message, published or kept, to the sockets connected here. */
    void deliverHere(FanoutMessage message) {
        if (message.socket() != null) {
            clients.toSocket(message.socket(), message.event(), message.payload());
        } else {
            clients.toUser(UserId.of(message.user()), message.event(), message.payload());
        }
    }

    @Override
    public void start() {
        StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                received(message);
            }
        });
        pubSub.sync().subscribe(RedisKeys.CHANNEL);
        subscription = pubSub;
        log.info("event=fanout_subscribed channel={} node={}", RedisKeys.CHANNEL, nodeId);
    }

    @Override
    public void stop() {
        StatefulRedisPubSubConnection<String, String> pubSub = subscription;
        if (pubSub != null) {
            pubSub.close();
            subscription = null;
        }
        connection.close();
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }

    /** Subscribed before the socket server accepts anyone. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 300;
    }
}
