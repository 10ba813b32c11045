package com.dehive.calling.gateway.cluster;

import com.dehive.calling.shared.UserId;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Presence shared by the nodes in Redis. Each node keeps its own key alive; a node that dies stops counting when
 * its key expires, and the first live node to notice takes its sockets off the books (one node wins that claim)
 * and tells the call presence which users are gone with it. A node that restarts under the same id does the same
 * for its previous life before it counts itself alive.
 */
public class RedisPresence implements Presence, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);

    private static final RedisScript JOIN = new RedisScript("""
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('SADD', KEYS[3], ARGV[3] .. ' ' .. ARGV[1])
            local missed = redis.call('LRANGE', KEYS[2], 0, -1)
            redis.call('DEL', KEYS[2])
            return missed
            """, ScriptOutputType.MULTI);

    /** Answers 1 while the user still has a socket on a live node. */
    private static final RedisScript LEAVE = new RedisScript(RedisKeys.LUA_FUNCTIONS + """
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('SREM', KEYS[2], ARGV[2] .. ' ' .. ARGV[1])
            local entries = redis.call('HGETALL', KEYS[1])
            for i = 2, #entries, 2 do
              if live(entries[i]) then
                return 1
              end
            end
            return 0
            """, ScriptOutputType.INTEGER);

    private static final RedisScript NODES_OF = new RedisScript(RedisKeys.LUA_FUNCTIONS + """
            local entries = redis.call('HGETALL', KEYS[1])
            local seen = {}
            local nodes = {}
            for i = 2, #entries, 2 do
              local node = entries[i]
              if not seen[node] and live(node) then
                seen[node] = true
                table.insert(nodes, node)
              end
            end
            return nodes
            """, ScriptOutputType.MULTI);

    /**
     * Takes a dead node's sockets off the books; answers their users. Only the caller whose SREM removes the node
     * does it ('force': a node cleaning up after its own previous life).
     */
    private static final RedisScript REAP = new RedisScript(RedisKeys.LUA_FUNCTIONS + """
            if ARGV[2] ~= 'force' then
              if live(ARGV[1]) then
                return {}
              end
              if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then
                return {}
              end
            end
            local users = {}
            for _, member in ipairs(redis.call('SMEMBERS', KEYS[2])) do
              local space = string.find(member, ' ', 1, true)
              local user = string.sub(member, 1, space - 1)
              local socket = string.sub(member, space + 1)
              local key = presence(user)
              if redis.call('HGET', key, socket) == ARGV[1] then
                redis.call('HDEL', key, socket)
              end
              table.insert(users, user)
            end
            redis.call('DEL', KEYS[2])
            return users
            """, ScriptOutputType.MULTI);

    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final ObjectMapper json;
    private final String nodeId;
    private final Duration nodeTtl;
    private static final Duration STOP_WAIT = Duration.ofSeconds(1);

    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "presence-heartbeat");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Consumer<Set<UserId>> vanished = users -> { };
    private volatile boolean running;

    public RedisPresence(RedisClient client, ObjectMapper json, String nodeId, Duration nodeTtl) {
        this.connection = client.connect();
        this.redis = connection.async();
        this.json = json;
        this.nodeId = nodeId;
        this.nodeTtl = nodeTtl;
    }

    /** Who to tell about users whose sockets were on a node that died. */
    public void onVanished(Consumer<Set<UserId>> listener) {
        this.vanished = listener;
    }

    @Override
    public CompletableFuture<List<Missed>> joined(UserId user, String socketId) {
        return JOIN.<List<String>>run(redis,
                        new String[]{RedisKeys.presence(user), RedisKeys.missed(user), RedisKeys.socketsOfNode(nodeId)},
                        socketId, nodeId, user.toString())
                .thenApply(kept -> {
                    List<Missed> missed = new ArrayList<>(kept.size());
                    for (String text : kept) {
                        try {
                            FanoutMessage message = json.readValue(text, FanoutMessage.class);
                            missed.add(new Missed(message.event(), message.payload()));
                        } catch (JsonProcessingException e) {
                            log.warn("event=missed_signal_unreadable user={}", user);
                        }
                    }
                    return missed;
                });
    }

    @Override
    public CompletableFuture<Boolean> left(UserId user, String socketId) {
        return LEAVE.<Long>run(redis, new String[]{RedisKeys.presence(user), RedisKeys.socketsOfNode(nodeId)},
                socketId, user.toString()).thenApply(stillThere -> stillThere == 1);
    }

    @Override
    public CompletableFuture<List<String>> nodesOf(UserId user) {
        return NODES_OF.run(redis, new String[]{RedisKeys.presence(user)});
    }

    /** Nodes alive now (their keys exist). */
    public List<String> liveNodes() {
        List<String> live = new ArrayList<>();
        for (String node : connection.sync().smembers(RedisKeys.NODES)) {
            if (connection.sync().exists(RedisKeys.node(node)) == 1) {
                live.add(node);
            }
        }
        return live;
    }

    @Override
    public void start() {
        // sockets this node held in a previous life (same id, restarted) are gone: reap them before counting as alive
        reap(nodeId, true);
        beat();
        long period = Math.max(500, nodeTtl.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::beatAndReap, period, period, TimeUnit.MILLISECONDS);
        running = true;
        log.info("event=presence_started node={} ttl_ms={}", nodeId, nodeTtl.toMillis());
    }

    private void beatAndReap() {
        try {
            beat();
            for (String node : connection.sync().smembers(RedisKeys.NODES)) {
                if (!node.equals(nodeId)) {
                    reap(node, false);
                }
            }
        } catch (RuntimeException e) {
            log.warn("event=presence_heartbeat_failed error={}", e.toString());
        }
    }

    private void beat() {
        connection.sync().set(RedisKeys.node(nodeId), "1", SetArgs.Builder.px(nodeTtl.toMillis()));
        connection.sync().sadd(RedisKeys.NODES, nodeId);
    }

    private void reap(String node, boolean force) {
        List<String> users = REAP.<List<String>>run(redis,
                new String[]{RedisKeys.NODES, RedisKeys.socketsOfNode(node)}, node, force ? "force" : "").join();
        if (users.isEmpty()) {
            return;
        }
        Set<UserId> lost = new LinkedHashSet<>();
        users.forEach(user -> lost.add(UserId.of(user)));
        log.info("event=node_reaped node={} users={} self={}", node, lost.size(), force);
        vanished.accept(lost);
    }

    @Override
    public void stop() {
        running = false;
        heartbeat.shutdownNow();
        try {
            // a graceful stop: the others need not wait for the key to expire. Bounded: with Redis unreachable the
            // command would wait out Lettuce's minute, and a node must stop within its grace period
            redis.del(RedisKeys.node(nodeId)).get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("event=presence_stop_failed error={}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Alive before the socket server accepts anyone, gone after it has closed every socket. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 300;
    }
}
