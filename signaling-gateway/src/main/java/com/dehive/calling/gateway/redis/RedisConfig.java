package com.dehive.calling.gateway.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis that several nodes share ({@code REDIS_URL}, alias {@code REDIS_URI}); absent when neither is set, and
 * then everything that would live there stays in this process. When present, {@code /actuator/health} reports it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${calling.redis.url:}'.isBlank()")
class RedisConfig {

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(@Value("${calling.redis.url}") String url) {
        return RedisClient.create(url);
    }

    @Bean("redis")
    HealthIndicator redisHealth(RedisClient client) {
        return new AbstractHealthIndicator("Redis health check failed") {
            @Override
            protected void doHealthCheck(Health.Builder builder) {
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    builder.up().withDetail("ping", connection.sync().ping());
                }
            }
        };
    }
}
