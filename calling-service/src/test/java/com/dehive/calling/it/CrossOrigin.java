package com.dehive.calling.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests as a browser sends them for a page of another origin: preflights, and requests with an Origin. */
final class CrossOrigin {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private CrossOrigin() {
    }

    /** The preflight a browser sends before a POST with a bearer token and a JSON body. */
    static HttpResponse<String> preflight(String url, String origin, String method) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "authorization,content-type,x-session-id"));
    }

    static HttpResponse<String> get(String url, String origin, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Origin", origin);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    static HttpResponse<String> post(String url, String origin, String token, String json) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Origin", origin)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token));
    }

    /** The first request of a Socket.IO client on the polling transport (the engine.io handshake). */
    static HttpResponse<String> pollingHandshake(int socketPort, String origin) {
        return send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + socketPort + "/socket.io/?EIO=4&transport=polling")).header("Origin", origin));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
