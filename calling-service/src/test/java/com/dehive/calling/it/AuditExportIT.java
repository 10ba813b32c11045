package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An external system copies every event page by page, resuming where it stopped: no gap, no duplicate. */
class AuditExportIT extends ServiceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void an_export_resumed_page_by_page_has_every_event_once_in_store_order() throws Exception {
        CallingApi api = api();
        String exporter = api.token(newUser("exporter"), "analytics");
        String bob = newUser("bob");
        String aliceToken = api.token(newUser("alice"));
        List<String> myCalls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String callId = ringingCall(api, aliceToken, bob);
            acknowledged(api, "/api/calls/end", aliceToken, Map.of("call_id", callId));
            myCalls.add(callId);
        }

        // the whole store in one go, once my events are stored
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(export(api, exporter, null, 10_000).stream().map(e -> e.get("call_id").asText()))
                        .containsAll(myCalls));
        List<JsonNode> whole = export(api, exporter, null, 10_000);

        List<JsonNode> resumed = new ArrayList<>();
        String position = null;
        while (true) {
            CallingApi.Response page = api.get(exportPath(position, 3), exporter);
            List<JsonNode> lines = lines(page);
            if (lines.isEmpty()) {
                break;
            }
            resumed.addAll(lines);
            position = page.raw().headers().firstValue("X-Next-Position").orElseThrow();
            assertThat(position).isEqualTo(lines.get(lines.size() - 1).get("position").asText());
            if (resumed.size() >= whole.size()) {
                break;
            }
        }
        List<String> wholeIds = whole.stream().map(e -> e.get("event_id").asText()).toList();
        List<String> resumedIds = resumed.stream().limit(whole.size()).map(e -> e.get("event_id").asText()).toList();
        assertThat(resumedIds).isEqualTo(wholeIds);
        Set<String> unique = new HashSet<>(resumedIds);
        assertThat(unique).hasSize(resumedIds.size());
        JsonNode first = whole.get(0);
        assertThat(first.has("payload")).isTrue();
        assertThat(first.has("metadata")).isTrue();
        assertThat(first.has("sequence")).isTrue();
    }

    @Test
    void a_position_that_was_never_handed_out_is_refused() {
        CallingApi api = api();
        String exporter = api.token(newUser("exporter"), "auditor");
        CallingApi.Response response = api.get("/api/audit/events?after=garbage", exporter);
        assertThat(response.status()).isEqualTo(400);
    }

    private List<JsonNode> export(CallingApi api, String token, String after, int limit) throws Exception {
        return lines(api.get(exportPath(after, limit), token));
    }

    private static String exportPath(String after, int limit) {
        return "/api/audit/events?limit=" + limit
                + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
    }

    private static List<JsonNode> lines(CallingApi.Response response) {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : response.raw().body().split("\n")) {
            if (!line.isBlank()) {
                try {
                    lines.add(JSON.readTree(line));
                } catch (Exception e) {
                    throw new AssertionError("not a JSON line: " + line, e);
                }
            }
        }
        return lines;
    }
}
