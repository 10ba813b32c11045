package com.dehive.calling.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.caffeine.Bucket4jCaffeine;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/** Rate-limit buckets in Redis when {@code REDIS_URL} is set (shared by every node), in this process otherwise. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfig {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfig.class);
    /** A bucket untouched for this long past its refill is forgotten. */
    private static final Duration KEEP_AFTER_REFILL = Duration.ofMinutes(1);

    @Bean
    RateLimits rateLimits(ObjectProvider<RedisClient> redis, MeterRegistry meters) {
        RedisClient client = redis.getIfAvailable();
        ProxyManager<String> buckets;
        if (client != null) {
            StatefulRedisConnection<String, byte[]> connection =
                    client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            buckets = Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy
                            .basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
                    .build();
            log.info("event=rate_limits_configured store=redis");
        } else {
            buckets = Bucket4jCaffeine.<String>builderFor(Caffeine.newBuilder().maximumSize(1_000_000))
                    .expirationAfterWrite(ExpirationAfterWriteStrategy
                            .basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
                    .build();
            log.info("event=rate_limits_configured store=memory");
        }
        return new RateLimits(buckets, meters);
    }

    @Bean
    RateLimits.Limit callStartLimit(RateLimitProperties properties) {
        return new RateLimits.Limit("call-starts", "call starts", properties.callStarts(), properties.callWindow());
    }
}
