package com.dehive.calling.it;

import com.dehive.calling.gateway.ratelimit.RateLimitedException;
import com.dehive.calling.gateway.ratelimit.RateLimits;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The limits in a real redis-server, shared by every node that points at it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitRedisIT extends ServiceIT {

    private static final TestRedis REDIS = TestRedis.start();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("calling.redis.url", REDIS::url);
        registry.add("calling.rate-limit.call-starts", () -> "3");
        registry.add("calling.rate-limit.auth-failures", () -> "5");
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Test
    void call_starts_are_limited_through_redis() {
        RateLimitChecks.callStartsAreLimitedPerCaller(api(), socketPort);
        assertThat(api().get("/actuator/health", null).body().get("components").get("redis").get("status").asText())
                .isEqualTo("UP");
        RedisClient client = RedisClient.create(REDIS.url());
        try (var connection = client.connect()) {
            assertThat(connection.sync().keys("call-starts:*")).isNotEmpty();
        } finally {
            client.shutdown();
        }
    }

    /**
     * Handshakes run on Netty threads, so the limit is read from Redis in the background. Last: it leaves the test
     * address out of attempts.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void socket_handshakes_with_bad_tokens_are_refused_once_the_address_has_failed_too_often() {
        List<String> codes = new ArrayList<>();
        try (JsSockets sockets = new JsSockets(socketPort)) {
            for (int attempt = 0; attempt < 10 && !codes.contains("RATE_LIMITED"); attempt++) {
                JsonNode refused = sockets.open(Map.of("token", "forged.token.value")).awaitConnectError();
                codes.add(refused.get("data").get("code").asText());
            }
        }
        assertThat(codes.subList(0, 5)).containsOnly("AUTHENTICATION_REQUIRED");
        assertThat(codes).contains("RATE_LIMITED");
    }

    @Test
    void two_nodes_sharing_redis_never_grant_more_than_the_limit_together() throws Exception {
        RedisClient client = RedisClient.create(REDIS.url());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try (StatefulRedisConnection<String, byte[]> node1 = connect(client);
             StatefulRedisConnection<String, byte[]> node2 = connect(client)) {
            RateLimits first = new RateLimits(Bucket4jLettuce.casBasedBuilder(node1).build(), new SimpleMeterRegistry());
            RateLimits second = new RateLimits(Bucket4jLettuce.casBasedBuilder(node2).build(), new SimpleMeterRegistry());
            RateLimits.Limit limit = new RateLimits.Limit("shared-test", "tries", 5, Duration.ofMinutes(5));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                RateLimits node = i % 2 == 0 ? first : second;
                Callable<Boolean> attempt = () -> {
                    go.await();
                    try {
                        node.consume(limit, "same-user");
                        return true;
                    } catch (RateLimitedException e) {
                        return false;
                    }
                };
                tries.add(pool.submit(attempt));
            }
            go.countDown();
            int granted = 0;
            for (Future<Boolean> attempt : tries) {
                granted += attempt.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(granted).isEqualTo(5);
        } finally {
            pool.shutdownNow();
            client.shutdown();
        }
    }

    private static StatefulRedisConnection<String, byte[]> connect(RedisClient client) {
        return client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    }
}
