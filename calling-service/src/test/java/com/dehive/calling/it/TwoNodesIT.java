package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two service processes on loopback behind no balancer, sharing one MongoDB-wire store (its own process) and one
 * real redis-server: a call whose parties are on different nodes behaves as on one node, and a node that dies
 * takes nothing with it but its sockets, and delays nobody's ringing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesIT {

    private static final Duration NODE_DEATH = Duration.ofSeconds(40);
    private static final List<String> PROJECTIONS = List.of("call-history", "call-analytics",
            "conversation-messages");

    @TempDir
    static Path dataDir;

    private static TestRedis redis;
    private static StoreProcess store;
    private static ServiceProcess node1;
    private static ServiceProcess node2;
    private static JsSockets on1;
    private static JsSockets on2;

    @BeforeAll
    static void twoNodes() {
        redis = TestRedis.start();
        store = StoreProcess.start();
        node1 = ServiceProcess.start(dataDir.resolve("1"), environment("node-1"));
        node2 = ServiceProcess.start(dataDir.resolve("2"), environment("node-2"));
        on1 = new JsSockets(node1.socketPort());
        on2 = new JsSockets(node2.socketPort());
    }

    private static Map<String, String> environment(String nodeId) {
        return Map.of("MONGODB_URI", store.uri(), "REDIS_URL", redis.url(), "CALLING_NODE_ID", nodeId,
                "CALLING_PROCESSOR_SEGMENTS", "2", "CALLING_NODE_TTL", "3s", "CALLING_TOKEN_CLAIM_TIMEOUT", "5s",
                "CALL_RING_TIMEOUT", "8s", "CALL_RECONNECT_GRACE", "10s", "CALL_RATE_LIMIT", "3");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable running : new AutoCloseable[]{on1, on2, node1, node2, store, redis}) {
            try {
                if (running != null) {
                    running.close();
                }
            } catch (Exception e) {
                // keep stopping the others
            }
        }
    }

    @Test
    @Order(0)
    void the_projections_segments_are_held_by_the_nodes_and_each_node_notifies_its_own_sockets() {
        for (ServiceProcess node : List.of(node1, node2)) {
            JsonNode health = node.api().get("/actuator/health", null).body();
            assertThat(health.get("components").get("mongo").get("status").asText()).isEqualTo("UP");
            assertThat(health.get("components").get("redis").get("status").asText()).isEqualTo("UP");
        }
        for (String projection : PROJECTIONS) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(owners(projection))
                    .as(projection).hasSize(2).allMatch(owner -> owner != null && owner.startsWith("node-")));
        }
        // the notifier keeps its position in memory on each node: nothing of it is shared
        assertThat(owners("socket-notifier")).isEmpty();
    }

    @Test
    @Order(0)
    void a_node_on_a_mongodb_server_loads_nothing_of_the_embedded_store() {
        String classes = node1.loadedClasses();
        assertThat(classes).contains("com.dehive.calling.eventstore.engine.SequencedEventStorageEngine");
        assertThat(classes).doesNotContain("com.dehive.calling.eventstore.embedded.")
                .doesNotContain("de.bwaldvogel.mongo");
    }

    @Test
    @Order(1)
    void a_call_across_the_nodes_runs_the_whole_flow_and_relays_in_order_without_doubles() {
        CallingApi api = node1.api();
        String alice = "two-alice";
        String bob = "two-bob";
        JsSockets.Socket caller = on1.connect(api.token(alice));
        JsSockets.Socket callee = on2.connect(node2.api().token(bob));
        await().untilAsserted(() -> assertThat(api.get("/api/presence/" + bob, api.token(alice)).data()
                .get("nodes").toString()).isEqualTo("[\"node-2\"]"));

        caller.emit("startCall", Map.of("target_user_id", bob, "with_video", true));
        String callId = caller.await("callStarted").get("call_id").asText();
        JsonNode incoming = callee.await("incomingCall");
        assertThat(incoming.get("call_id").asText()).isEqualTo(callId);
        assertThat(incoming.get("caller_id").asText()).isEqualTo(alice);

        // one call per user holds across the nodes: alice, calling from node 1, is busy for a caller on node 2
        String carolToken = node2.api().token("two-carol");
        CallingApi.Response busy = node2.api().post("/api/calls/start", carolToken, Map.of("target_user_id", alice));
        assertThat(busy.data().get("end_reason").asText()).as(busy.body().toString()).isEqualTo("user_busy");

        callee.emit("acceptCall", Map.of("call_id", callId));
        assertThat(callee.await("callAccepted").get("status").asText()).isEqualTo("connected");
        assertThat(caller.await("callAccepted").get("call_id").asText()).isEqualTo(callId);

        caller.emit("signalOffer", Map.of("call_id", callId, "offer", Map.of("type", "offer", "sdp", "o")));
        assertThat(callee.await("signalOffer").get("offer").get("sdp").asText()).isEqualTo("o");
        callee.emit("signalAnswer", Map.of("call_id", callId, "answer", Map.of("type", "answer", "sdp", "a")));
        assertThat(caller.await("signalAnswer").get("answer").get("sdp").asText()).isEqualTo("a");

        caller.emitAll("iceCandidate", candidates(callId, "from-alice"));
        callee.emitAll("iceCandidate", candidates(callId, "from-bob"));
        await().untilAsserted(() -> assertThat(callee.events("iceCandidate")).hasSizeGreaterThanOrEqualTo(100));
        await().untilAsserted(() -> assertThat(caller.events("iceCandidate")).hasSizeGreaterThanOrEqualTo(100));

        callee.emit("toggleMedia", Map.of("call_id", callId, "media_type", "video", "state", "disabled"));
        assertThat(caller.await("mediaToggled").get("user_id").asText()).isEqualTo(bob);

        caller.emit("endCall", Map.of("call_id", callId));
        await().untilAsserted(() -> assertThat(endedOf(caller, callId)).hasSize(1));
        assertThat(endedOf(caller, callId).get(0).get("status").asText()).isEqualTo("ended");
        await().untilAsserted(() -> assertThat(endedOf(callee, callId)).hasSize(1));
        assertThat(endedOf(callee, callId).get(0).get("reason").asText()).isEqualTo("user_hangup");

        JsSockets.settle();
        assertThat(candidateNames(callee)).isEqualTo(expectedNames("from-alice"));
        assertThat(candidateNames(caller)).isEqualTo(expectedNames("from-bob"));
        assertThat(endedOf(caller, callId)).hasSize(1);
        assertThat(endedOf(callee, callId)).hasSize(1);
        for (String once : List.of("incomingCall", "callAccepted", "signalOffer", "mediaToggled")) {
            assertThat(callee.events(once)).as(once + " on the callee").hasSizeLessThanOrEqualTo(1);
            assertThat(caller.events(once)).as(once + " on the caller").hasSizeLessThanOrEqualTo(1);
        }
        caller.close();
        callee.close();
    }

    @Test
    @Order(2)
    void a_participant_who_drops_and_comes_back_on_the_other_node_gets_what_was_relayed_meanwhile_in_order() {
        String kate = "two-kate";
        String leo = "two-leo";
        String leoToken = node2.api().token(leo);
        JsSockets.Socket caller = on1.connect(node1.api().token(kate));
        JsSockets.Socket callee = on2.connect(leoToken);
        String callId = connectedCall(caller, callee, leo);

        callee.close();
        assertThat(caller.await("peerDisconnected").get("user_id").asText()).isEqualTo(leo);
        caller.emitAll("iceCandidate", candidates(callId, "while-away").subList(0, 5));
        assertThat(caller.call("ping", Map.of()).get("ok").asBoolean()).isTrue(); // relayed (and kept) by now

        JsSockets.Socket back = on1.connect(leoToken);
        await().untilAsserted(() -> assertThat(back.events("iceCandidate")).hasSize(5));
        assertThat(candidateNames(back)).isEqualTo(expectedNames("while-away").subList(0, 5));
        assertThat(caller.await("peerReconnected").get("user_id").asText()).isEqualTo(leo);
        caller.emit("signalOffer", Map.of("call_id", callId, "offer", Map.of("type", "offer", "sdp", "again")));
        assertThat(back.await("signalOffer").get("offer").get("sdp").asText()).isEqualTo("again");
        caller.emit("endCall", Map.of("call_id", callId));
        back.await("callEnded");
        JsSockets.settle();
        assertThat(back.events("iceCandidate")).hasSize(5);
    }

    @Test
    @Order(3)
    void two_callers_on_different_nodes_ringing_one_callee_at_the_same_moment_ring_it_once() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String callee = "two-race-callee-" + round;
                List<Callable<String>> starts = new ArrayList<>();
                for (ServiceProcess node : List.of(node1, node2)) {
                    String token = node.api().token("two-race-" + round + "-" + node.socketPort());
                    starts.add(() -> node.api().post("/api/calls/start", token, Map.of("target_user_id", callee))
                            .data().get("status").asText());
                }
                List<String> statuses = new ArrayList<>();
                for (Future<String> status : pool.invokeAll(starts)) {
                    statuses.add(status.get());
                }
                assertThat(statuses).as("round " + round).containsExactlyInAnyOrder("ringing", "ended");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void rate_limits_count_the_starts_made_on_every_node() {
        String dave = "two-dave";
        String token = node1.api().token(dave);
        for (int i = 0; i < 3; i++) {
            ServiceProcess node = i % 2 == 0 ? node1 : node2;
            String callId = ServiceIT.ringingCall(node.api(), token, "two-rate-callee-" + i);
            ServiceIT.acknowledged(node.api(), "/api/calls/end", token, Map.of("call_id", callId));
        }
        CallingApi.Response refused = node2.api().post("/api/calls/start", token,
                Map.of("target_user_id", "two-rate-callee-x"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("RATE_LIMITED");
    }

    @Test
    @Order(4)
    void a_node_that_dies_delays_no_ringing_and_a_ring_timeout_it_armed_still_fires() {
        String erin = "two-erin";
        JsSockets.Socket callee = on1.connect(node1.api().token(erin));
        String frankToken = node2.api().token("two-frank");
        String callId = ServiceIT.ringingCall(node2.api(), frankToken, erin);
        callee.await("incomingCall");
        JsSockets.Socket otherCaller = on1.connect(node1.api().token("two-olga"));
        JsSockets.Socket otherCallee = on1.connect(node1.api().token("two-pete"));

        node2.kill9();
        // a call between two users of the surviving node rings at once, whoever held which segment
        long emitted = System.nanoTime();
        otherCaller.emit("startCall", Map.of("target_user_id", "two-pete"));
        otherCallee.await("incomingCall");
        long ringMillis = (System.nanoTime() - emitted) / 1_000_000;
        System.out.printf("rang %d ms after the start, just after the other node died%n", ringMillis);
        assertThat(ringMillis).isLessThan(1500); // the claim timeout is 5 s

        await().atMost(NODE_DEATH).until(() -> !callee.events("callEnded").isEmpty());
        assertThat(callee.events("callEnded").get(0).get("reason").asText()).isEqualTo("timeout");
        assertThat(endings(callId)).isEqualTo(1);
        // the survivor has taken over the dead node's share of every projection
        for (String projection : PROJECTIONS) {
            await().atMost(NODE_DEATH).untilAsserted(() -> assertThat(owners(projection))
                    .as(projection).containsExactly("node-1", "node-1"));
        }

        node2 = ServiceProcess.start(dataDir.resolve("2b"), environment("node-2"));
        on2.close();
        on2 = new JsSockets(node2.socketPort());
        callee.close();
        otherCaller.close();
        otherCallee.close();
    }

    @Test
    @Order(5)
    void a_node_killed_mid_call_lets_its_users_go_on_from_the_other_node_and_ends_the_calls_of_those_who_do_not() {
        CallingApi api = node1.api();
        String gina = "two-gina";
        String hank = "two-hank";
        String ivan = "two-ivan";
        String judy = "two-judy";
        String hankToken = api.token(hank);
        JsSockets.Socket ginaSocket = on1.connect(api.token(gina));
        JsSockets.Socket ivanSocket = on1.connect(api.token(ivan));
        JsSockets.Socket hankSocket = on2.connect(hankToken);
        JsSockets.Socket judySocket = on2.connect(api.token(judy));
        String goesOn = connectedCall(ginaSocket, hankSocket, hank);
        String endsCall = connectedCall(ivanSocket, judySocket, judy);

        node2.kill9();
        // hank's client reconnects to the surviving node; judy's never comes back
        JsSockets.Socket hankAgain = on1.connect(hankToken);
        await().atMost(NODE_DEATH).untilAsserted(() -> assertThat(api.get("/api/presence/" + hank, hankToken)
                .data().get("nodes").toString()).isEqualTo("[\"node-1\"]"));

        await().atMost(NODE_DEATH).until(() -> !ivanSocket.events("callEnded").isEmpty());
        assertThat(ivanSocket.events("callEnded").get(0).get("reason").asText()).isEqualTo("connection_error");
        assertThat(ivanSocket.await("peerDisconnected").get("user_id").asText()).isEqualTo(judy);

        ginaSocket.emit("signalOffer", Map.of("call_id", goesOn, "offer", Map.of("type", "offer", "sdp", "restart")));
        assertThat(hankAgain.await("signalOffer").get("offer").get("sdp").asText()).isEqualTo("restart");
        assertThat(api.get("/api/calls/" + goesOn, hankToken).data().get("status").asText())
                .isEqualTo("connected");
        assertThat(ginaSocket.events("callEnded")).isEmpty();

        JsSockets.settle();
        assertThat(ivanSocket.events("callEnded")).hasSize(1);
        assertThat(endings(endsCall)).isEqualTo(1);
        assertThat(endings(goesOn)).isZero();
        ginaSocket.emit("endCall", Map.of("call_id", goesOn));
        assertThat(hankAgain.await("callEnded").get("reason").asText()).isEqualTo("user_hangup");
    }

    /** Which node holds each segment of a processor, as the shared token store says. */
    private static List<String> owners(String processor) {
        try (MongoClient client = MongoClients.create(store.uri())) {
            List<String> owners = new ArrayList<>();
            client.getDatabase("dehive").getCollection("trackingtokens")
                    .find(new Document("processorName", processor))
                    .forEach(token -> owners.add(token.getString("owner")));
            return owners;
        }
    }

    /** The callEnded events a socket heard for one call (alice, busy, also hears of carol's call). */
    private static List<JsonNode> endedOf(JsSockets.Socket socket, String callId) {
        return socket.events("callEnded").stream().filter(ended -> ended.get("call_id").asText().equals(callId))
                .toList();
    }

    /** How many times the call ended, as its event history (the auditors' view) says. */
    private static long endings(String callId) {
        CallingApi api = node1.api();
        JsonNode events = api.get("/api/audit/calls/" + callId + "/events", api.token("two-auditor", "auditor"))
                .data();
        long ended = 0;
        for (JsonNode event : events) {
            if (event.get("type").asText().endsWith("CallEndedEvent")) {
                ended++;
            }
        }
        return ended;
    }

    private static String connectedCall(JsSockets.Socket caller, JsSockets.Socket callee, String calleeId) {
        caller.emit("startCall", Map.of("target_user_id", calleeId));
        String callId = callee.await("incomingCall").get("call_id").asText();
        callee.emit("acceptCall", Map.of("call_id", callId));
        caller.await("callAccepted");
        return callId;
    }

    private static List<Map<String, Object>> candidates(String callId, String from) {
        return IntStream.range(0, 100).<Map<String, Object>>mapToObj(i -> Map.of("call_id", callId,
                "candidate", Map.of("candidate", from + "-" + i), "sdpMid", "0", "sdpMLineIndex", 0)).toList();
    }

    private static List<String> candidateNames(JsSockets.Socket socket) {
        List<String> names = new ArrayList<>();
        socket.events("iceCandidate").forEach(event -> names.add(event.get("candidate").get("candidate").asText()));
        return names;
    }

    private static List<String> expectedNames(String from) {
        return IntStream.range(0, 100).mapToObj(i -> from + "-" + i).toList();
    }
}
