package com.dehive.calling.gateway.auth.session;

import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Sessions cached in this process, each until its own expiry. */
public class LocalSessionCache implements SessionCache {

    private record Entry(AuthenticatedUser user, Instant expiresAt) {
    }

    private final Clock clock;
    private final Cache<String, Entry> sessions;

    public LocalSessionCache(Clock clock) {
        this.clock = clock;
        this.sessions = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry entry, long now) {
                        return Math.max(0, Duration.between(clock.instant(), entry.expiresAt()).toNanos());
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry entry, long now, long remaining) {
                        return expireAfterCreate(key, entry, now);
                    }

                    @Override
                    public long expireAfterRead(String key, Entry entry, long now, long remaining) {
                        return remaining;
                    }
                })
                .build();
    }

    @Override
    public Optional<AuthenticatedUser> find(String key) {
        Entry entry = sessions.getIfPresent(key);
        return entry == null || !entry.expiresAt().isAfter(clock.instant())
                ? Optional.empty() : Optional.of(entry.user());
    }

    @Override
    public void put(String key, AuthenticatedUser user, Instant expiresAt) {
        sessions.put(key, new Entry(user, expiresAt));
    }
}
