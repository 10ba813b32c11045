package com.dehive.calling.gateway.socket;

import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.queryhandling.QueryGateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Queries asked from socket listeners, answered on a pool of their own: Axon's query bus runs the handler on the
 * caller's thread, and here that is a Netty I/O thread that must not wait for the store.
 */
public class OffThreadQueries implements AutoCloseable {

    private final QueryGateway queries;
    private final ExecutorService threads;

    public OffThreadQueries(QueryGateway queries, int threadCount) {
        this.queries = queries;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threadCount, runnable -> {
            Thread thread = new Thread(runnable, "socket-queries-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public <R> CompletableFuture<R> query(Object query, ResponseType<R> responseType) {
        return CompletableFuture.supplyAsync(() -> queries.query(query, responseType), threads)
                .thenCompose(answer -> answer);
    }

    @Override
    public void close() {
        threads.shutdown();
    }
}
