package com.dehive.calling.gateway.cluster;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run atomically in Redis: sent by its SHA-1, and in full only when Redis does not know it yet (first
 * use, or after Redis restarted). Scripts here touch keys they compute themselves, so they need a single Redis,
 * not Redis Cluster.
 */
final class RedisScript {

    private final String body;
    private final String sha;
    private final ScriptOutputType output;

    RedisScript(String body, ScriptOutputType output) {
        this.body = body;
        this.output = output;
        try {
            this.sha = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    <T> CompletableFuture<T> run(RedisAsyncCommands<String, String> redis, String[] keys, String... args) {
        CompletableFuture<T> byHash = redis.<T>evalsha(sha, output, keys, args).toCompletableFuture();
        return byHash.handle((result, failure) -> failure == null ? CompletableFuture.completedFuture(result)
                        : unknownScript(failure) ? redis.<T>eval(body, output, keys, args).toCompletableFuture()
                        : CompletableFuture.<T>failedFuture(failure))
                .thenCompose(next -> next);
    }

    private static boolean unknownScript(Throwable failure) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        return cause instanceof RedisNoScriptException;
    }
}
