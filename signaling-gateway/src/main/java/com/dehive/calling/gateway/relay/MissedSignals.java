package com.dehive.calling.gateway.relay;

import com.dehive.calling.shared.UserId;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signaling for a participant who has no socket right now (vanished, within the reconnect grace period), kept in
 * memory in order until they come back, for at most {@code keepFor}, at most {@code maxPerUser} messages. Never
 * stored anywhere else.
 */
public class MissedSignals {

    public record Missed(String event, Object payload, Instant at) {
    }

    private final Map<UserId, Deque<Missed>> byUser = new ConcurrentHashMap<>();
    private final Duration keepFor;
    private final int maxPerUser;
    private final Clock clock;

    public MissedSignals(Duration keepFor, int maxPerUser, Clock clock) {
        this.keepFor = keepFor;
        this.maxPerUser = maxPerUser;
        this.clock = clock;
    }

    /** Keeps a message; answers false when the oldest kept one had to make room for it. */
    public boolean keep(UserId user, String event, Object payload) {
        Deque<Missed> missed = byUser.computeIfAbsent(user, key -> new ArrayDeque<>());
        synchronized (missed) {
            boolean full = missed.size() >= maxPerUser;
            if (full) {
                missed.pollFirst();
            }
            missed.addLast(new Missed(event, payload, clock.instant()));
            return !full;
        }
    }

    /** What the user missed and is still fresh, in order; forgotten once taken. */
    public List<Missed> takeAll(UserId user) {
        Deque<Missed> missed = byUser.remove(user);
        if (missed == null) {
            return List.of();
        }
        Instant freshSince = clock.instant().minus(keepFor);
        synchronized (missed) {
            return new ArrayList<>(missed.stream().filter(m -> m.at().isAfter(freshSince)).toList());
        }
    }

    /** Forgets a user's missed signaling (their call ended). */
    public void forget(UserId user) {
        byUser.remove(user);
    }
}
