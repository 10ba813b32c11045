package com.dehive.calling.aot;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training run of the service's JDK AOT cache: starts the service through its launcher with
 * {@code CALLING_AOT_CACHE_OUTPUT} set, makes it do what it does in production for a while (dev tokens minted,
 * sockets connecting, calls started, accepted, declined and ended over sockets and REST, offers, answers and
 * candidates relayed, history and metrics read), then stops it. As it exits, the JVM writes into the cache the classes
 * it loaded and linked and the profiles of the methods that ran; a service started with the cache has those classes
 * at once and compiles its hot paths from the first requests (docs/benchmarks.md, figures 7 and 8). The java that
 * ran the training is written beside the cache ({@code <cache>.jvm}), for the launcher: only that JDK build can use it.
 *
 * <p>Runs in the build (Maven, on the JDK the toolchain picked; the launcher gets it as {@code CALLING_JAVA}) and in
 * the Dockerfile's runtime stage, so it needs the JDK alone: socket.io (engine.io 4) is spoken by hand over the
 * JDK's websocket client.
 *
 * <pre>java com.dehive.calling.aot.AotTraining &lt;launcher&gt; &lt;cache file&gt; &lt;seconds of load&gt; &lt;work dir&gt;</pre>
 */
public final class AotTraining {

    private static final Pattern CALL_ID = Pattern.compile("\"call_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final String OFFER = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 46117 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\n"
            + "t=0 0\\r\\na=group:BUNDLE 0 1\\r\\n" + "a=x-training\\r\\n".repeat(40) + "\"}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String rest;
    private final String socketUrl;
    private final AtomicLong flows = new AtomicLong();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicInteger users = new AtomicInteger();

    private AotTraining(int restPort, int socketPort) {
        this.rest = "http://127.0.0.1:" + restPort;
        this.socketUrl = "ws://127.0.0.1:" + socketPort + "/socket.io/?EIO=4&transport=websocket";
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: AotTraining <launcher> <cache file> <seconds of load> <work dir>");
            System.exit(2);
        }
        Path launcher = Path.of(args[0]).toAbsolutePath();
        Path cache = Path.of(args[1]).toAbsolutePath();
        Duration load = Duration.ofSeconds(Long.parseLong(args[2]));
        Path work = Path.of(args[3]).toAbsolutePath();
        Files.createDirectories(work);
        Files.deleteIfExists(cache);
        int restPort = freePort();
        int socketPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(launcher.toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("training.log").toFile());
        Map<String, String> env = builder.environment();
        String java = env.computeIfAbsent("CALLING_JAVA",
                unset -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("CALLING_AOT_CACHE_OUTPUT", cache.toString());
        env.put("DIRECT_CALLING_PORT", String.valueOf(restPort));
        env.put("SOCKET_IO_PORT", String.valueOf(socketPort));
        env.put("CLOUD_HOST", "127.0.0.1");
        env.put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        env.put("CALL_RATE_LIMIT", "1000000");
        env.put("CALLING_SOCKET_FLOODBURST", "1000000");
        env.put("CALLING_SOCKET_FLOODPERSECOND", "1000000");
        env.put("CALLING_RATELIMIT_AUTHFAILURES", "1000000");
        long started = System.nanoTime();
        Process service = builder.start();
        try {
            AotTraining training = new AotTraining(restPort, socketPort);
            training.awaitHealthy(service, Duration.ofMinutes(3));
            System.out.printf("AOT training: service up after %d ms; load for %d s%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), load.toSeconds());
            training.run(load);
            System.out.printf("AOT training: %d call flows, %d relayed messages%n", training.flows.get(),
                    training.relayed.get());
        } finally {
            // SIGTERM: the JVM writes the cache as it exits
            service.destroy();
            if (!service.waitFor(5, TimeUnit.MINUTES)) {
                service.destroyForcibly();
                throw new IllegalStateException("the service did not stop; see " + work.resolve("training.log"));
            }
        }
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("no AOT cache written (is " + java + " a JDK 25 or later?); see "
                    + work.resolve("training.log"));
        }
        Files.writeString(cache.resolveSibling(cache.getFileName() + ".jvm"), java + "\n");
        System.out.printf("AOT training: %s (%d MB) in %d s%n", cache, Files.size(cache) >> 20,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitHealthy(Process service, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service stopped during its start (exit " + service.exitValue()
                        + ")");
            }
            try {
                HttpResponse<String> health = get("/actuator/health", null);
                if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service was not healthy within " + within);
    }

    /** Socket flows, REST flows and a relay burst side by side, then the read side, until the time is up. */
    private void run(Duration load) throws Exception {
        long until = System.nanoTime() + load.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            loops.add(loop(pool, until, this::socketFlow));
        }
        for (int i = 0; i < 2; i++) {
            loops.add(loop(pool, until, this::restFlow));
        }
        loops.add(loop(pool, until, this::relayBurst));
        loops.add(loop(pool, until, this::reads));
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get();
        pool.shutdown();
    }

    private interface Step {
        void run() throws Exception;
    }

    private static CompletableFuture<Void> loop(ExecutorService pool, long until, Step step) {
        return CompletableFuture.runAsync(() -> {
            int failures = 0;
            while (System.nanoTime() < until) {
                try {
                    step.run();
                } catch (Exception e) {
                    if (++failures % 50 == 1) {
                        System.out.println("AOT training: a step failed: " + e);
                    }
                }
            }
        }, pool);
    }

    // ---- REST ----

    private String token(String user, String roles) throws IOException, InterruptedException {
        String body = "{\"user_id\":\"" + user + "\",\"display_name\":\"" + user + "\""
                + (roles == null ? "" : ",\"roles\":[" + roles + "]") + "}";
        HttpResponse<String> response = post("/api/dev/tokens", null, body);
        Matcher token = TOKEN.matcher(response.body());
        if (!token.find()) {
            throw new IllegalStateException("no token: " + response.statusCode() + " " + response.body());
        }
        return token.group(1);
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json");
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String user(String role) {
        return "train" + role + users.incrementAndGet();
    }

    /** A call over REST: start, the callee's view, accept, a mute, the end, both histories; a decline; a refusal. */
    private void restFlow() throws Exception {
        String a = user("a");
        String b = user("b");
        String ta = token(a, null);
        String tb = token(b, null);
        String callId = callIdOf(post("/api/calls/start", ta, "{\"target_user_id\":\"" + b + "\",\"with_video\":true}"));
        get("/api/calls/active", tb);
        post("/api/calls/accept", tb, "{\"call_id\":\"" + callId + "\",\"with_video\":false}");
        post("/api/calls/toggle-media", tb,
                "{\"call_id\":\"" + callId + "\",\"media_type\":\"audio\",\"state\":\"muted\"}");
        post("/api/calls/start", ta, "{\"target_user_id\":\"" + b + "\"}"); // refused: already in a call
        get("/api/calls/" + callId, ta);
        post("/api/calls/end", ta, "{\"call_id\":\"" + callId + "\"}");
        get("/api/calls/history?limit=20&offset=0", tb);
        String declined = callIdOf(post("/api/calls/start", tb, "{\"target_user_id\":\"" + a + "\"}"));
        post("/api/calls/decline", ta, "{\"call_id\":\"" + declined + "\"}");
        get("/api/calls/history?limit=20&offset=0", ta);
        flows.incrementAndGet();
    }

    private static String callIdOf(HttpResponse<String> response) {
        Matcher id = CALL_ID.matcher(response.body());
        if (!id.find()) {
            throw new IllegalStateException("no call id: " + response.statusCode() + " " + response.body());
        }
        return id.group(1);
    }

    /** What operators and other readers ask: health, metrics, TURN, presence, audit, analytics, the API docs. */
    private void reads() throws Exception {
        get("/actuator/health", null);
        get("/actuator/prometheus", null);
        String reader = token(user("r"), "\"auditor\",\"analytics\",\"admin\"");
        get("/api/turn/ice-servers", reader);
        get("/api/presence/" + "train" + users.get(), reader);
        get("/api/analytics/calls/daily?from=2020-01-01&to=2100-01-01", reader);
        get("/api/audit/events?limit=50", reader);
        get("/api-dc-docs-json", null);
        Thread.sleep(200);
    }

    // ---- sockets ----

    /** The original clients' whole flow over sockets, with the offer, the answer and candidates relayed. */
    private void socketFlow() throws Exception {
        String a = user("c");
        String b = user("d");
        try (Rtc caller = Rtc.connect(http, socketUrl, token(a, null));
             Rtc callee = Rtc.connect(http, socketUrl, token(b, null))) {
            caller.emit("identity", "\"" + a + "\"");
            callee.emit("identity", "\"" + b + "\"");
            caller.await("identityConfirmed");
            callee.await("identityConfirmed");
            caller.emitWithAck("startCall", "{\"target_user_id\":\"" + b + "\",\"with_video\":true,\"with_audio\":true}");
            String callId = idOf(callee.await("incomingCall"));
            caller.await("callStarted");
            caller.emit("signalOffer", "{\"call_id\":\"" + callId + "\",\"offer\":" + OFFER + "}");
            callee.await("signalOffer");
            callee.emit("signalAnswer", "{\"call_id\":\"" + callId + "\",\"answer\":" + OFFER.replace("offer", "answer") + "}");
            callee.emitWithAck("acceptCall", "{\"call_id\":\"" + callId + "\",\"with_video\":true,\"with_audio\":true}");
            caller.await("signalAnswer");
            caller.await("callAccepted");
            for (int i = 0; i < 8; i++) {
                caller.emit("iceCandidate", candidate(callId, i));
                callee.emit("iceCandidate", candidate(callId, 100 + i));
            }
            for (int i = 0; i < 8; i++) {
                callee.await("iceCandidate");
                caller.await("iceCandidate");
            }
            callee.emit("toggleMedia", "{\"call_id\":\"" + callId + "\",\"media_type\":\"video\",\"state\":\"disabled\"}");
            caller.await("mediaToggled");
            caller.emit("ping", "{}");
            caller.await("pong");
            caller.emit("endCall", "{\"call_id\":\"" + callId + "\"}");
            caller.await("callEnded");
            callee.await("callEnded");
            // a call the callee declines, and one nobody answers before the caller gives up
            callee.emit("startCall", "{\"target_user_id\":\"" + a + "\"}");
            String declined = idOf(caller.await("incomingCall"));
            caller.emit("declineCall", "{\"call_id\":\"" + declined + "\"}");
            callee.await("callDeclined");
            caller.emit("startCall", "{\"target_user_id\":\"" + b + "\"}");
            String cancelled = idOf(callee.await("incomingCall"));
            caller.emit("endCall", "{\"call_id\":\"" + cancelled + "\"}");
            callee.await("callEnded");
            caller.emit("acceptCall", "{\"call_id\":\"" + cancelled + "\"}"); // refused: the call is over
            caller.await("error");
        }
        flows.incrementAndGet();
    }

    /** One call relaying candidates as fast as they come back, for a few seconds. */
    private void relayBurst() throws Exception {
        String a = user("e");
        String b = user("f");
        try (Rtc caller = Rtc.connect(http, socketUrl, token(a, null));
             Rtc callee = Rtc.connect(http, socketUrl, token(b, null))) {
            caller.emit("startCall", "{\"target_user_id\":\"" + b + "\"}");
            String callId = idOf(callee.await("incomingCall"));
            callee.emit("acceptCall", "{\"call_id\":\"" + callId + "\"}");
            caller.await("callAccepted");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            int n = 0;
            while (System.nanoTime() < until) {
                for (int i = 0; i < 32; i++) {
                    caller.emit("iceCandidate", candidate(callId, n++));
                    callee.emit("iceCandidate", candidate(callId, n++));
                }
                for (int i = 0; i < 32; i++) {
                    callee.await("iceCandidate");
                    caller.await("iceCandidate");
                }
                relayed.addAndGet(64);
            }
            caller.emit("endCall", "{\"call_id\":\"" + callId + "\"}");
            callee.await("callEnded");
        }
    }

    private static String candidate(String callId, int n) {
        return "{\"call_id\":\"" + callId + "\",\"candidate\":{\"candidate\":\"candidate:" + (842163049 + n)
                + " 1 udp 1677729535 203.0.113." + (n % 250) + " " + (40000 + n % 20000)
                + " typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sW2a network-cost 999\",\"sdpMid\":\"0\","
                + "\"sdpMLineIndex\":0,\"usernameFragment\":\"sW2a\"},\"sdpMid\":\"0\",\"sdpMLineIndex\":0}";
    }

    private static String idOf(String payload) {
        Matcher id = CALL_ID.matcher(payload);
        if (!id.find()) {
            throw new IllegalStateException("no call id in " + payload);
        }
        return id.group(1);
    }

    /**
     * One socket.io client on the {@code /rtc} namespace over engine.io 4's websocket transport: {@code 40/rtc,{auth}}
     * connects, {@code 42/rtc,[event, payload]} is an event, {@code 42/rtc,<id>[...]} one that asks for an ack, and
     * the server's pings ({@code 2}) are answered ({@code 3}).
     */
    private static final class Rtc implements WebSocket.Listener, AutoCloseable {

        private static final String PREFIX = "42/rtc,";
        private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final Map<String, Integer> skipped = new ConcurrentHashMap<>();
        private final CompletableFuture<Void> connected = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private final String auth;
        private int acks;
        private volatile WebSocket socket;

        private Rtc(String token) {
            this.auth = "{\"token\":\"" + token + "\"}";
        }

        static Rtc connect(HttpClient http, String url, String token) throws Exception {
            Rtc rtc = new Rtc(token);
            http.newWebSocketBuilder().buildAsync(URI.create(url), rtc).get(10, TimeUnit.SECONDS);
            rtc.connected.get(10, TimeUnit.SECONDS);
            return rtc;
        }

        void emit(String event, String payload) {
            send(PREFIX + "[\"" + event + "\"," + payload + "]");
        }

        void emitWithAck(String event, String payload) {
            send(PREFIX + (++acks) + "[\"" + event + "\"," + payload + "]");
        }

        /** One send at a time: the JDK's websocket refuses a send while another is in progress. */
        private synchronized void send(String packet) {
            socket.sendText(packet, true).join();
        }

        /** The payload of the next event of that name (events of other names that came first are set aside). */
        String await(String event) throws InterruptedException {
            Integer earlier = skipped.get(event);
            if (earlier != null && earlier > 0) {
                skipped.merge(event, -1, Integer::sum);
                return "{}";
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (true) {
                String packet = events.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (packet == null) {
                    throw new IllegalStateException("no " + event + " within 15 s");
                }
                String name = packet.substring(2, packet.indexOf('"', 2));
                if (name.equals(event)) {
                    return packet;
                }
                if (name.equals("error") && System.getenv("AOT_TRAINING_DEBUG") != null) {
                    System.out.println("AOT training: while waiting for " + event + ": " + packet);
                }
                skipped.merge(name, 1, Integer::sum);
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String packet = partial.toString();
                partial.setLength(0);
                if (packet.startsWith("0")) {
                    send("40/rtc," + auth);
                } else if (packet.startsWith("40/rtc")) {
                    connected.complete(null);
                } else if (packet.startsWith("44/rtc")) {
                    connected.completeExceptionally(new IllegalStateException("refused: " + packet));
                } else if (packet.equals("2")) {
                    send("3");
                } else if (packet.startsWith(PREFIX)) {
                    events.add(packet.substring(PREFIX.length()));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            connected.completeExceptionally(error);
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
    }
}
