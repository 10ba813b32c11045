package com.dehive.calling.it;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** With REDIS_URL set, validated sessions are cached in Redis (every node trusts them), under a hash of the id. */
class SessionCacheRedisIT extends ServiceIT {

    private static final FakeDecodeGateway GATEWAY = new FakeDecodeGateway();
    private static final TestRedis REDIS = TestRedis.start();

    @DynamicPropertySource
    static void sessionModeWithRedis(DynamicPropertyRegistry registry) {
        registry.add("calling.auth.mode", () -> "session");
        registry.add("calling.auth.decode-gateway-host", () -> "127.0.0.1");
        registry.add("calling.auth.decode-gateway-port", GATEWAY::port);
        registry.add("calling.redis.url", REDIS::url);
    }

    @AfterAll
    static void stop() {
        GATEWAY.close();
        REDIS.close();
    }

    @Test
    void a_validated_session_is_kept_in_redis_until_it_expires_and_not_asked_for_again() throws Exception {
        GATEWAY.knows("redis-session", "erin-r1");
        int before = GATEWAY.validations.get();
        assertThat(get("redis-session").statusCode()).isEqualTo(200);
        assertThat(get("redis-session").statusCode()).isEqualTo(200);
        assertThat(GATEWAY.validations.get() - before).isEqualTo(1);

        RedisClient client = RedisClient.create(REDIS.url());
        try (var redis = client.connect()) {
            var keys = redis.sync().keys("session:*");
            assertThat(keys).hasSize(1);
            assertThat(keys.get(0)).doesNotContain("redis-session"); // the session id itself is never stored
            long ttl = redis.sync().pttl(keys.get(0));
            assertThat(ttl).isPositive().isLessThanOrEqualTo(600_000); // the session's expiry, at most 10 minutes
            assertThat(redis.sync().get(keys.get(0))).contains("erin-r1");
        } finally {
            client.shutdown();
        }
    }

    private HttpResponse<String> get(String sessionId) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/calls/history"))
                .header("x-session-id", sessionId).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
