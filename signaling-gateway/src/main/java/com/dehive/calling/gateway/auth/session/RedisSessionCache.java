package com.dehive.calling.gateway.auth.session;

import com.dehive.calling.gateway.auth.AuthMode;
import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Sessions cached in Redis with the session's own expiry, shared by every node. */
public class RedisSessionCache implements SessionCache {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatefulRedisConnection<String, String> redis;
    private final Clock clock;

    public RedisSessionCache(StatefulRedisConnection<String, String> redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    @Override
    public Optional<AuthenticatedUser> find(String key) {
        String stored = redis.sync().get("session:" + key);
        if (stored == null) {
            return Optional.empty();
        }
        try {
            JsonNode user = JSON.readTree(stored);
            Set<String> roles = new HashSet<>();
            user.path("roles").forEach(role -> roles.add(role.asText()));
            return Optional.of(new AuthenticatedUser(new UserProfile(UserId.of(user.get("id").asText()),
                    text(user, "username"), text(user, "display_name"), text(user, "avatar_ipfs_hash")),
                    Set.copyOf(roles), AuthMode.SESSION));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, AuthenticatedUser user, Instant expiresAt) {
        long millis = Duration.between(clock.instant(), expiresAt).toMillis();
        if (millis <= 0) {
            return;
        }
        UserProfile profile = user.profile();
        Map<String, Object> stored = new java.util.HashMap<>();
        stored.put("id", profile.id().toString());
        stored.put("username", profile.username());
        stored.put("display_name", profile.displayName());
        stored.put("avatar_ipfs_hash", profile.avatarIpfsHash());
        stored.put("roles", user.roles());
        try {
            redis.sync().set("session:" + key, JSON.writeValueAsString(stored), SetArgs.Builder.px(millis));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a profile is always JSON", e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
