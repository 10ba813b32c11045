package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code CORS_ALLOWED_ORIGINS} naming an origin and a pattern: those pages are answered by name, any other origin
 * hears no {@code Access-Control-*} header (so a browser keeps the answer from its page), on REST and on the
 * Socket.IO polling transport alike. One call start per caller, to meet a 429.
 */
@TestPropertySource(properties = {
        "calling.web.cors-allowed-origins=https://app.example.com, https://*.partner.example",
        "calling.rate-limit.call-starts=1"})
class CorsRestrictedIT extends ServiceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_listed_origin_and_one_matching_a_pattern_are_answered_by_name() {
        for (String page : new String[]{"https://app.example.com", "https://eu.partner.example"}) {
            HttpResponse<String> preflight = CrossOrigin.preflight(baseUrl() + "/api/calls/start", page, "POST");
            assertThat(preflight.statusCode()).isEqualTo(200);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(page);
            assertThat(preflight.headers().allValues("Vary")).contains("Origin");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }
    }

    @Test
    void another_origin_hears_no_access_control_header() throws Exception {
        String evil = "https://evil.example";
        HttpResponse<String> preflight = CrossOrigin.preflight(baseUrl() + "/api/calls/start", evil, "POST");
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        JsonNode refusal = JSON.readTree(preflight.body());
        assertThat(refusal.get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(refusal.get("error").asText()).contains(evil, "CORS_ALLOWED_ORIGINS");

        // a request that skips the preflight is refused before it does anything
        String token = api().token(newUser("alice"));
        String callee = newUser("bob");
        HttpResponse<String> start = CrossOrigin.post(baseUrl() + "/api/calls/start", evil, token,
                "{\"target_user_id\":\"" + callee + "\"}");
        assertThat(start.statusCode()).isEqualTo(403);
        assertThat(start.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        // it started nothing and took none of the caller's one start (a call would make the next start a 409)
        ringingCall(api(), token, callee);

        // a suffix of an allowed origin is not that origin
        assertThat(CrossOrigin.preflight(baseUrl() + "/api/calls/start", "https://app.example.com.evil.example",
                "POST").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void a_rate_limited_page_can_read_retry_after() throws Exception {
        String page = "https://app.example.com";
        String token = api().token(newUser("alice"));
        HttpResponse<String> first = CrossOrigin.post(baseUrl() + "/api/calls/start", page, token,
                "{\"target_user_id\":\"" + newUser("bob") + "\"}");
        assertThat(first.statusCode()).isEqualTo(200);
        String callId = JSON.readTree(first.body()).get("data").get("call_id").asText();
        acknowledged(api(), "/api/calls/end", token, Map.of("call_id", callId));

        HttpResponse<String> limited = CrossOrigin.post(baseUrl() + "/api/calls/start", page, token,
                "{\"target_user_id\":\"" + newUser("carol") + "\"}");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.headers().firstValue("Access-Control-Allow-Origin")).contains(page);
        assertThat(limited.headers().firstValue("Access-Control-Expose-Headers")).contains("Retry-After");
    }

    @Test
    void the_socket_polling_transport_follows_the_same_list() {
        HttpResponse<String> allowed = CrossOrigin.pollingHandshake(socketPort, "https://eu.partner.example");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://eu.partner.example");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

        // netty-socketio still answers, but without the header a browser refuses its page the answer
        HttpResponse<String> other = CrossOrigin.pollingHandshake(socketPort, "https://evil.example");
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(other.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }
}
