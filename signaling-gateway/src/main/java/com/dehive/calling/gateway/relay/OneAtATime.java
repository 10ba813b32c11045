package com.dehive.calling.gateway.relay;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Work handed in under one key runs one piece after another, in the order it was handed in: each piece starts once
 * the one before it under the same key has finished, failed or not. A key is forgotten once its last piece is done.
 */
public final class OneAtATime<K> {

    /** Per key, completed when the piece handed in last has finished. */
    private final Map<K, CompletableFuture<Void>> lastDone = new ConcurrentHashMap<>();

    public <T> CompletableFuture<T> run(K key, Supplier<CompletableFuture<T>> work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> previous = lastDone.put(key, done);
        // through a future even when nothing runs before it, so that work that throws still lets the next one go
        CompletableFuture<T> running = (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                .thenCompose(ignored -> work.get());
        running.whenComplete((result, failure) -> {
            lastDone.remove(key, done);
            done.complete(null);
        });
        return running;
    }
}
