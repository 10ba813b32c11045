package com.dehive.calling.it;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page of another origin, with the default {@code CORS_ALLOWED_ORIGINS=*} (the original service's
 * {@code origin: "*"}): its preflights are answered before authentication, its answers are readable, and nothing
 * lets its requests carry a user's cookies.
 */
class CorsIT extends ServiceIT {

    private static final String PAGE = "https://calls.third-party.example";

    @Test
    void a_preflight_is_answered_before_authentication() {
        HttpResponse<String> preflight = CrossOrigin.preflight(baseUrl() + "/api/calls/start", PAGE, "POST");

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
                .contains("authorization", "content-type", "x-session-id");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void answers_to_another_origin_are_readable_and_expose_retry_after() {
        String token = api().token(newUser("alice"));

        HttpResponse<String> servers = CrossOrigin.get(baseUrl() + "/api/turn/ice-servers", PAGE, token);
        assertThat(servers.statusCode()).isEqualTo(200);
        assertThat(servers.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(servers.headers().firstValue("Access-Control-Expose-Headers")).contains("Retry-After");
        assertThat(servers.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

        // a refusal is readable too, so the page can tell its user why
        HttpResponse<String> refused = CrossOrigin.get(baseUrl() + "/api/calls/active", PAGE, "not-a-token");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    }

    @Test
    void the_socket_polling_transport_answers_any_origin_without_credentials() {
        HttpResponse<String> handshake = CrossOrigin.pollingHandshake(socketPort, PAGE);

        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(handshake.body()).contains("\"sid\"");
        assertThat(handshake.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(handshake.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }
}
