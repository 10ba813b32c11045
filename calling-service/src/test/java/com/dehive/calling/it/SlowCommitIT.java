package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A call whose start is stored three seconds after it was stamped (a slow commit: a pause, a busy store), while
 * other calls are recorded, handled by every processor and exported meanwhile. With a tracking position that looks
 * back a second in time, every processor that had read a later event would never have seen it; here every
 * projection, the socket notifier and the export see it.
 */
@TestPropertySource(properties = {"calling.test.append-delay=3s", "calling.test.append-delay-callee=slow-"})
class SlowCommitIT extends ServiceIT {

    @Test
    void an_event_stored_long_after_it_was_stamped_reaches_every_reader() {
        CallingApi api = api();
        String caller = newUser("caller");
        String callee = newUser("slow-callee");
        String callerToken = api.token(caller);
        String calleeToken = api.token(callee);
        String auditor = api.token(newUser("auditor"), "auditor", "admin");
        String exportedUpTo = lastExportedPosition(api, auditor);

        try (JsSockets sockets = new JsSockets(socketPort)) {
            JsSockets.Socket calleeSocket = sockets.connect(calleeToken);
            CompletableFuture<CallingApi.Response> slowStart = CompletableFuture.supplyAsync(() ->
                    api.post("/api/calls/start", callerToken, Map.of("target_user_id", callee)));

            // meanwhile, other calls are stored and handled by every processor, and exported
            List<String> others = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String otherCaller = api.token(newUser("other"));
                String otherCall = ringingCall(api, otherCaller, newUser("someone"));
                acknowledged(api, "/api/calls/end", otherCaller, Map.of("call_id", otherCall));
                others.add(otherCall);
            }
            assertThat(slowStart).as("the slow start is still being stored").isNotDone();
            String exportedMeanwhile = lastExportedPosition(api, auditor);
            assertThat(exportedMeanwhile).isNotEqualTo(exportedUpTo);

            CallingApi.Response started = slowStart.join();
            assertThat(started.status()).as(started.body().toString()).isEqualTo(200);
            String callId = started.data().get("call_id").asText();
            assertThat(calleeSocket.await("incomingCall").get("call_id").asText()).isEqualTo(callId);
            acknowledged(api, "/api/calls/accept", calleeToken, Map.of("call_id", callId));
            acknowledged(api, "/api/calls/end", callerToken, Map.of("call_id", callId));

            assertThat(api.historyStatus(callerToken, callId)).isEqualTo("ended");
            assertThat(api.historyStatus(calleeToken, callId)).isEqualTo("ended");
            // the export picks up from where it was: the slow start is in it, after the calls stored before it
            List<String> exported = exportedCallIds(api, auditor, exportedMeanwhile);
            assertThat(exported).contains(callId);
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                JsonNode report = api.get("/api/admin/consistency", auditor).data();
                assertThat(report.get("consistent").asBoolean()).as(report.toString()).isTrue();
            });
        }
    }

    /** Follows the export from the start to its end, as an auditor's job does; answers where it ended. */
    private static String lastExportedPosition(CallingApi api, String auditor) {
        String position = null;
        while (true) {
            CallingApi.Response page = api.get(exportPath(position), auditor);
            String next = page.raw().headers().firstValue("X-Next-Position").orElse(null);
            if (next == null || next.equals(position)) {
                return position;
            }
            position = next;
        }
    }

    private static List<String> exportedCallIds(CallingApi api, String auditor, String after) {
        List<String> calls = new ArrayList<>();
        String position = after;
        while (true) {
            CallingApi.Response page = api.get(exportPath(position), auditor);
            for (String line : page.raw().body().split("\n")) {
                if (!line.isBlank()) {
                    calls.add(parse(line).get("call_id").asText());
                }
            }
            String next = page.raw().headers().firstValue("X-Next-Position").orElse(null);
            if (next == null || next.equals(position)) {
                return calls;
            }
            position = next;
        }
    }

    private static JsonNode parse(String line) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String exportPath(String after) {
        return "/api/audit/events?limit=50" + (after == null ? "" : "&after=" + after);
    }
}
