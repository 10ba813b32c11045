package com.dehive.calling.gateway.cluster;

import com.dehive.calling.gateway.relay.MissedSignals;
import com.dehive.calling.gateway.socket.SocketClients;
import com.dehive.calling.gateway.socket.SocketJson;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * One node (no {@code REDIS_URL}): sockets, presence and missed signaling live in this process. Several nodes
 * (Redis set): relayed signaling goes through Redis pub/sub and presence is shared in Redis.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfig {

    private static final String REDIS_SET = "!'${calling.redis.url:}'.isBlank()";
    private static final String REDIS_UNSET = "'${calling.redis.url:}'.isBlank()";
    /** As many relayed messages as a call setup needs many times over; older ones make room for newer. */
    private static final int MAX_MISSED_PER_USER = 1000;

    @Bean
    @ConditionalOnExpression(REDIS_UNSET)
    LocalFanout localFanout(SocketClients clients, MissedSignals missed, MeterRegistry meters) {
        return new LocalFanout(clients, missed, meters);
    }

    @Bean
    @ConditionalOnExpression(REDIS_UNSET)
    LocalPresence localPresence(SocketClients clients, MissedSignals missed,
                                @Value("${calling.node-id}") String nodeId) {
        return new LocalPresence(clients, missed, nodeId);
    }

    @Bean
    @ConditionalOnExpression(REDIS_SET)
    RedisFanout redisFanout(RedisClient redis, SocketClients clients, @Value("${calling.node-id}") String nodeId,
                            @Value("${calling.calls.reconnect-grace}") Duration reconnectGrace, MeterRegistry meters) {
        return new RedisFanout(redis, clients, SocketJson.wireMapper(), nodeId, reconnectGrace,
                MAX_MISSED_PER_USER, meters);
    }

    @Bean
    @ConditionalOnExpression(REDIS_SET)
    RedisPresence redisPresence(RedisClient redis, @Value("${calling.node-id}") String nodeId,
                                @Value("${calling.cluster.node-ttl:10s}") Duration nodeTtl) {
        return new RedisPresence(redis, SocketJson.wireMapper(), nodeId, nodeTtl);
    }
}
