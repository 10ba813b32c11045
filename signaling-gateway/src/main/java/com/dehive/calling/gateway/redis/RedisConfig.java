package com.dehive.calling.gateway.redis;

import io.lettuce.core.RedisClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis that several nodes share ({@code REDIS_URL}, alias {@code REDIS_URI}); absent when neither is set, and
 * then everything that would live there stays in this process.
 */
@Configuration(proxyBeanMethods = false)
class RedisConfig {

    @Bean(destroyMethod = "shutdown")
    @ConditionalOnExpression("!'${calling.redis.url:}'.isBlank()")
    RedisClient redisClient(@Value("${calling.redis.url}") String url) {
        return RedisClient.create(url);
    }
}
