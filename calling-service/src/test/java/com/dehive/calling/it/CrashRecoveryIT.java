package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service crashes (the JVM halts, as {@code kill -9} would) at a named point while clients keep calling, and
 * is started again on the same data: every acknowledged command shows, no call is left that nothing will end, and
 * the consistency check finds the projections equal to what the event store says.
 */
class CrashRecoveryIT {

    private static final int CLIENTS = 6;
    /**
     * A ring timeout much shorter than the reconnect grace: after the restart every ringing call must end by its
     * timeout, and a call that ends by the grace instead (the restart reports everyone gone) lost its deadline.
     */
    private static final Map<String, String> QUICK_ENDINGS = Map.of(
            "CALL_RING_TIMEOUT", "2s", "CALL_RECONNECT_GRACE", "15s", "CALL_RATE_LIMIT", "1000000");

    @TempDir
    Path dataDir;

    /** What a client was told: the call, and the last command on it that was acknowledged. */
    private record Acknowledged(String callId, String caller, String callee, String step, JsonNode answer) {
    }

    @ParameterizedTest(name = "crash {0}")
    @ValueSource(strings = {"before-event-insert", "after-event-insert", "mid-projection-batch", "mid-rebuild"})
    void a_crash_under_load_loses_nothing_acknowledged_and_leaves_no_call_that_nothing_ends(String point)
            throws Exception {
        Map<String, String> crash = new java.util.HashMap<>(QUICK_ENDINGS);
        crash.put("CALLING_TEST_CRASH_AT", point);
        // a start is the unit of work with the most to lose: two line claims, a ring timeout and its event
        crash.put("CALLING_TEST_CRASH_ON_EVENT", "CallStartedEvent");
        crash.put("CALLING_TEST_CRASH_AFTER", switch (point) {
            case "mid-rebuild" -> "250";
            case "mid-projection-batch" -> "20";
            default -> "50";
        });
        Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
        Map<String, String> tokens = new ConcurrentHashMap<>();

        try (ServiceProcess service = ServiceProcess.startWithTestHooks(dataDir, crash)) {
            CallingApi api = service.api();
            for (int i = 0; i < CLIENTS; i++) {
                tokens.put("caller-" + i, api.token("caller-" + i));
                tokens.put("callee-" + i, api.token("callee-" + i));
            }
            tokens.put("admin", api.token("crash-admin", "admin"));
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    int client = i;
                    running.add(clients.submit(() -> callAgainAndAgain(api, client, tokens, acknowledged)));
                }
                if (point.equals("mid-rebuild")) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 100);
                    api.post("/api/admin/projections/call-history/replay", tokens.get("admin"), Map.of());
                }
                assertThat(service.awaitExit(Duration.ofSeconds(60))).as("the service halted at " + point)
                        .isEqualTo(137);
                for (Future<?> client : running) {
                    client.get(30, TimeUnit.SECONDS);
                }
            } finally {
                clients.shutdownNow();
            }
        }
        System.out.printf("crash %s: %d calls had an acknowledged command%n", point, acknowledged.size());
        assertThat(acknowledged).isNotEmpty();

        try (ServiceProcess restarted = ServiceProcess.start(dataDir, QUICK_ENDINGS)) {
            CallingApi api = restarted.api();
            for (Acknowledged ack : acknowledged.values()) {
                JsonNode call = api.get("/api/calls/" + ack.callId(), tokens.get(ack.caller())).data();
                assertThat(call).as("call %s (last acknowledged: %s)", ack.callId(), ack.step()).isNotNull();
                switch (ack.step()) {
                    case "start" -> assertThat(call.get("call_id").asText()).isEqualTo(ack.callId());
                    case "accept" -> assertThat(call.get("status").asText()).isIn("connected", "ended");
                    case "end" -> {
                        assertThat(call.get("status").asText()).isEqualTo("ended");
                        assertThat(call.get("end_reason").asText())
                                .isEqualTo(ack.answer().get("end_reason").asText());
                    }
                    default -> throw new IllegalStateException(ack.step());
                }
            }
            // every call ends by itself: unanswered ones time out, and nobody reconnects to the connected ones
            for (String user : tokens.keySet()) {
                await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(
                        api.get("/api/calls/active", tokens.get(user)).data().isNull()).as(user).isTrue());
            }
            // a call that never connected ended by its ring timeout, never by the grace: no deadline was lost
            // (the history handles the endings after the calls' lines are free: it is awaited, not read once)
            for (int i = 0; i < CLIENTS; i++) {
                String caller = tokens.get("caller-" + i);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (JsonNode call : api.get("/api/calls/history?limit=100", caller).data().get("calls")) {
                        if (!call.has("started_at")) {
                            assertThat(call.path("end_reason").asText()).as(call.toString())
                                    .isNotEmpty().isNotEqualTo("connection_error");
                        }
                    }
                });
            }
            for (Acknowledged ack : acknowledged.values()) {
                if (ack.step().equals("end")) {
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api.historyStatus(
                            tokens.get(ack.caller()), ack.callId())).isEqualTo("ended"));
                }
            }
            JsonNode report = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> api.get("/api/admin/consistency", tokens.get("admin")), response ->
                            response.status() == 200 && response.data().get("consistent").asBoolean()).data();
            System.out.printf("crash %s: consistency check after restart: %s%n", point, report);
            // and the users can call again
            ServiceIT.ringingCall(api, tokens.get("caller-0"), "callee-0");
            restarted.stop();
        }
    }

    /** Starts, answers and ends calls until the service is gone, noting every acknowledged command. */
    private static void callAgainAndAgain(CallingApi api, int client, Map<String, String> tokens,
                                          Map<String, Acknowledged> acknowledged) {
        String caller = "caller-" + client;
        String callee = "callee-" + client;
        try {
            while (true) {
                CallingApi.Response started = api.post("/api/calls/start", tokens.get(caller),
                        Map.of("target_user_id", callee));
                if (started.status() != 200) {
                    Thread.sleep(50); // a refused start (a line still held): try again
                    continue;
                }
                String callId = started.data().get("call_id").asText();
                acknowledged.put(callId, new Acknowledged(callId, caller, callee, "start", started.data()));
                CallingApi.Response accepted = api.post("/api/calls/accept", tokens.get(callee),
                        Map.of("call_id", callId));
                if (accepted.status() == 200) {
                    acknowledged.put(callId, new Acknowledged(callId, caller, callee, "accept", accepted.data()));
                }
                CallingApi.Response ended = api.post("/api/calls/end", tokens.get(caller), Map.of("call_id", callId));
                if (ended.status() == 200) {
                    acknowledged.put(callId, new Acknowledged(callId, caller, callee, "end", ended.data()));
                }
            }
        } catch (UncheckedIOException | IllegalStateException gone) {
            // the service halted: what was acknowledged so far is what must survive
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
