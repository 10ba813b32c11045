package com.dehive.calling.eventstore.positions;

import com.dehive.calling.eventstore.engine.AppendedPositions;
import com.dehive.calling.shared.query.AwaitProjectionQuery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers {@link AwaitProjectionQuery}: whether a projection has handled the stream up to a position. Projections
 * run behind the commands (each is its own processor), so a client that reads right after a command could miss
 * what it just did; the edges ask this before they answer, and a client's next read shows its own writes.
 *
 * <p>A segment this node processes is asked directly (its status counts committed batches only), and its waiters are
 * checked when the projection reports a batch committed ({@link #batchCommitted}): nothing polls for them. A segment
 * another node holds is read from the token store, which its node writes after each batch; only while some waiter
 * depends on one are waiters checked every few milliseconds. Polling every 5 ms whatever the segments, the checker
 * woke 200 times a second throughout the bench's call-setup load on a node that held every segment (issue 24). A
 * projection that does not get there within the bound is answered {@code false}, counted, and the command answered
 * anyway: a stuck projection must not stop calls.
 */
@Component
public class ProjectionPositions implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ProjectionPositions.class);
    private static final long CHECK_EVERY_MILLIS = 5;
    /** How long what the token store said of another node's segments is trusted before it is read again. */
    private static final long REMOTE_READ_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final EventProcessingConfiguration processors;
    private final AppendedPositions appended;
    private final MongoTemplate mongo;
    private final Serializer serializer;
    private final Duration bound;
    private final Timer waits;
    private final Counter timeouts;
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final Map<String, RemoteToken> remoteTokens = new ConcurrentHashMap<>();
    private final Map<String, StoredSegments> storedSegments = new ConcurrentHashMap<>();
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    /** The next check nothing else would trigger: the earliest bound, or the next poll of another node's segment. */
    private ScheduledFuture<?> timedCheck;
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "projection-positions");
        thread.setDaemon(true);
        return thread;
    });

    public ProjectionPositions(@Lazy EventProcessingConfiguration processors, @Lazy AppendedPositions appended,
                               MongoTemplate mongo, Serializer serializer, MeterRegistry meters,
                               @Value("${calling.processing.read-your-writes-bound:3s}") Duration bound) {
        this.processors = processors;
        this.appended = appended;
        this.mongo = mongo;
        this.serializer = serializer;
        this.bound = bound;
        this.waits = Timer.builder("calling.read_your_writes.wait")
                .description("how long an answer waited for the call history to catch up")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.timeouts = Counter.builder("calling.read_your_writes.timeouts")
                .description("answers sent before the call history caught up (it took longer than the bound)")
                .register(meters);
    }

    @QueryHandler
    public CompletableFuture<Boolean> handle(AwaitProjectionQuery query) {
        // with no position given: every event this node appended, the asking command's among them (known without
        // asking the store for its head)
        long position = query.position() != null ? query.position() : appended.lastAppendedHere();
        if (position < 0 || reach(query.projection(), query.callId(), position, false) == Reach.PASSED) {
            return CompletableFuture.completedFuture(true);
        }
        Waiter waiter = new Waiter(query.projection(), query.callId(), position, System.nanoTime());
        waiters.add(waiter);
        // the batch that passes the position may have committed since the look above, before the waiter was there
        requestCheck();
        return waiter.done;
    }

    /** Called when a projection has moved on: a waiter may be done. */
    public void batchCommitted() {
        if (!waiters.isEmpty()) {
            requestCheck();
        }
    }

    private void requestCheck() {
        if (checkQueued.compareAndSet(false, true)) {
            try {
                checker.execute(this::check);
            } catch (RejectedExecutionException e) {
                checkQueued.set(false); // shutting down: the waiters are answered by destroy()
            }
        }
    }

    /** Runs on the checker's thread only. */
    private void check() {
        checkQueued.set(false);
        long now = System.nanoTime();
        long nextBound = Long.MAX_VALUE;
        boolean elsewhere = false;
        for (Waiter waiter : waiters) {
            try {
                Reach reach = reach(waiter.projection, waiter.callId, waiter.position, true);
                if (reach == Reach.PASSED) {
                    finish(waiter, true);
                } else if (now - waiter.since > bound.toNanos()) {
                    timeouts.increment();
                    log.warn("event=read_your_writes_timeout projection={} position={} waited_ms={}",
                            waiter.projection, waiter.position, bound.toMillis());
                    finish(waiter, false);
                } else {
                    nextBound = Math.min(nextBound, waiter.since + bound.toNanos() - now);
                    elsewhere |= reach == Reach.BEHIND_ELSEWHERE;
                }
            } catch (RuntimeException e) {
                log.warn("event=read_your_writes_check_failed projection={} error={}", waiter.projection,
                        e.toString());
                finish(waiter, false);
            }
        }
        if (timedCheck != null) {
            timedCheck.cancel(false);
            timedCheck = null;
        }
        if (!waiters.isEmpty()) {
            long delay = elsewhere ? TimeUnit.MILLISECONDS.toNanos(CHECK_EVERY_MILLIS) : nextBound + 1;
            try {
                timedCheck = checker.schedule(this::check, Math.max(0, delay), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down: the waiters are answered by destroy()
            }
        }
    }

    private void finish(Waiter waiter, boolean caughtUp) {
        if (waiters.remove(waiter)) {
            waits.record(System.nanoTime() - waiter.since, TimeUnit.NANOSECONDS);
            waiter.done.complete(caughtUp);
        }
    }

    /** How far a projection stands from a position; only a segment read from the store is polled for. */
    private enum Reach {
        PASSED,
        /** Behind, in segments this node processes: their next batch tells ({@link #batchCommitted}). */
        BEHIND_HERE,
        /** Behind, or not known yet, in a segment another node holds (or none holds yet): polled. */
        BEHIND_ELSEWHERE
    }

    /** Whether every segment that holds the call's events (every segment, with no call) has passed the position. */
    private Reach reach(String projection, String callId, long position, boolean mayReadStore) {
        StreamingEventProcessor processor = processors.eventProcessor(projection, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalArgumentException("no processor named " + projection));
        Map<Integer, EventTrackerStatus> local = processor.processingStatus();
        int[] segments = segmentsOf(processor, local);
        if (segments.length == 0) {
            return Reach.BEHIND_ELSEWHERE; // the processor has not set up its segments yet (it does when it first runs)
        }
        Reach reach = Reach.PASSED;
        for (int segmentId : segments) {
            Segment segment = Segment.computeSegment(segmentId, segments);
            if (callId != null && !segment.matches(callId)) {
                continue;
            }
            EventTrackerStatus status = local.get(segmentId);
            boolean here = status != null && !status.isErrorState();
            long reached = here ? positionOf(status.getTrackingToken())
                    : mayReadStore ? storedPosition(projection, segmentId) : -1;
            if (reached < position) {
                if (!here) {
                    return Reach.BEHIND_ELSEWHERE;
                }
                reach = Reach.BEHIND_HERE;
            }
        }
        return reach;
    }

    /** A segment that has handled nothing yet has no token (and its status may still report a position). */
    private static long positionOf(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }

    private int[] segmentsOf(StreamingEventProcessor processor, Map<Integer, EventTrackerStatus> local) {
        int segmentCount = local.values().stream().mapToInt(status -> status.getSegment().getMask() + 1).max()
                .orElse(0);
        if (segmentCount > 0 && segmentCount == local.size()) {
            return local.keySet().stream().mapToInt(Integer::intValue).toArray(); // this node holds them all
        }
        long now = System.nanoTime();
        StoredSegments known = storedSegments.get(processor.getName());
        if (known != null && now - known.readAt < REMOTE_READ_EVERY_NANOS) {
            return known.segments;
        }
        List<Integer> stored = new ArrayList<>();
        mongo.trackingTokensCollection().find(new Document("processorName", processor.getName()))
                .forEach(entry -> stored.add(entry.getInteger("segment")));
        int[] segments = stored.stream().mapToInt(Integer::intValue).toArray();
        storedSegments.put(processor.getName(), new StoredSegments(segments, now));
        return segments;
    }

    private long storedPosition(String projection, int segment) {
        String key = projection + "/" + segment;
        RemoteToken known = remoteTokens.get(key);
        long now = System.nanoTime();
        if (known != null && now - known.readAt < REMOTE_READ_EVERY_NANOS) {
            return known.position;
        }
        Document entry = mongo.trackingTokensCollection()
                .find(new Document("processorName", projection).append("segment", segment)).first();
        long position = -1;
        if (entry != null && entry.get("token") instanceof Binary token && entry.getString("tokenType") != null) {
            TrackingToken stored = serializer.deserialize(new SimpleSerializedObject<>(token.getData(),
                    byte[].class, entry.getString("tokenType"), null));
            position = positionOf(stored);
        }
        remoteTokens.put(key, new RemoteToken(position, now));
        return position;
    }

    @Override
    public void destroy() {
        checker.shutdownNow();
        waiters.forEach(waiter -> waiter.done.complete(false));
        waiters.clear();
    }

    private record RemoteToken(long position, long readAt) {
    }

    private record StoredSegments(int[] segments, long readAt) {
    }

    private static final class Waiter {
        private final String projection;
        private final String callId;
        private final long position;
        private final long since;
        private final CompletableFuture<Boolean> done = new CompletableFuture<>();

        Waiter(String projection, String callId, long position, long since) {
            this.projection = projection;
            this.callId = callId;
            this.position = position;
            this.since = since;
        }
    }
}
