package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Talks to the service the way a client does: real HTTP, JSON bodies, bearer tokens. */
public class CallingApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public CallingApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public record Response(int status, JsonNode body, HttpResponse<String> raw) {

        public JsonNode data() {
            return body.get("data");
        }

        public String code() {
            return body.path("code").asText(null);
        }
    }

    /** What a value looks like as JSON, to compare with what a socket received. */
    public JsonNode json(Object value) {
        return JSON.valueToTree(value);
    }

    /** A dev-mode token for the user, minted by the service itself. */
    public String token(String userId, String... roles) {
        Response minted = post("/api/dev/tokens", null, Map.of("user_id", userId, "roles", roles));
        if (minted.status() != 200) {
            throw new IllegalStateException("could not mint a token: " + minted.body());
        }
        return minted.data().get("token").asText();
    }

    public Response post(String path, String token, Object body) {
        try {
            return postRaw(path, token, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Response postRaw(String path, String token, String body) {
        HttpRequest.Builder request = request(path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(request);
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    /** The call's status in the user's history, or "absent" while the history does not have it. */
    public String historyStatus(String token, String callId) {
        for (JsonNode call : get("/api/calls/history?limit=100", token).data().get("calls")) {
            if (call.get("call_id").asText().equals(callId)) {
                return call.get("status").asText();
            }
        }
        return "absent";
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.headers().firstValue("Content-Type").orElse("").contains("json")
                    && !response.body().isEmpty() ? JSON.readTree(response.body()) : JSON.nullNode();
            return new Response(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
