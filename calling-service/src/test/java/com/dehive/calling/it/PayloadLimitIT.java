package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * REST bodies over 64 KiB are refused with {@code 413 PAYLOAD_TOO_LARGE} before they are read, whether their length
 * is declared or they come chunked; a body with a valid {@code target_user_id} and a lot of padding starts no call.
 */
class PayloadLimitIT extends ServiceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length:\\s*(\\d+)");

    @Test
    void a_declared_length_over_the_limit_is_refused_before_the_body_is_sent() throws Exception {
        String token = api().token(newUser("alice"));
        URI uri = URI.create(baseUrl());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // 20 MB announced, a few bytes sent: only an answer that did not wait for the body arrives
            out.write(("POST /api/calls/start HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 20971520\r\n\r\n{\"target_user_id\":\"bob\",\"padding\":\"")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(readAnswer(socket.getInputStream()), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(answer).contains("\"code\":\"PAYLOAD_TOO_LARGE\"", "\"statusCode\":413");
        }
    }

    @Test
    void big_bodies_declared_or_chunked_start_no_call() throws Exception {
        String token = api().token(newUser("alice"));
        String callee = newUser("bob");
        byte[] body = padded(callee, 1024 * 1024);

        HttpResponse<String> declared = start(token, HttpRequest.BodyPublishers.ofByteArray(body));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(declared.body()).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");

        HttpResponse<String> chunked = start(token, chunked(body));
        assertThat(chunked.statusCode()).isEqualTo(413);
        JsonNode refusal = JSON.readTree(chunked.body());
        assertThat(refusal.get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(refusal.get("path").asText()).isEqualTo("/api/calls/start");

        // neither started a call: the caller and the callee are both free (one of them busy would be a 409), and
        // the caller's history ends up with that next call alone
        String callId = ringingCall(api(), token, callee);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode history = api().get("/api/calls/history", token).data();
            assertThat(history.get("calls").findValuesAsText("call_id")).containsExactly(callId);
        });
    }

    @Test
    void a_chunked_body_within_the_limit_is_read_whole() throws Exception {
        String token = api().token(newUser("alice"));
        String callee = newUser("bob");

        HttpResponse<String> started = start(token, chunked(padded(callee, 60 * 1024)));

        assertThat(started.statusCode()).isEqualTo(200);
        JsonNode data = JSON.readTree(started.body()).get("data");
        assertThat(data.get("status").asText()).isEqualTo("ringing");
        assertThat(data.get("target_user_id").asText()).isEqualTo(callee);
    }

    /** A valid start body, padded with a field the service ignores to about {@code size} bytes. */
    private static byte[] padded(String callee, int size) {
        return ("{\"target_user_id\":\"" + callee + "\",\"padding\":\"" + "x".repeat(size) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A body of unknown length: the client sends it chunked, with no Content-Length. */
    private static HttpRequest.BodyPublisher chunked(byte[] body) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    }

    private HttpResponse<String> start(String token, HttpRequest.BodyPublisher body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/calls/start"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads the head and the declared body of one HTTP answer (the server keeps the connection open after it). */
    private static byte[] readAnswer(InputStream in) throws Exception {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        int contentLength = -1;
        int headEnd = -1;
        byte[] buffer = new byte[4096];
        while (headEnd < 0 || answer.size() < headEnd + contentLength) {
            int read = in.read(buffer);
            if (read < 0) {
                break;
            }
            answer.write(buffer, 0, read);
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0 && text.contains("\r\n\r\n")) {
                headEnd = text.indexOf("\r\n\r\n") + 4;
                Matcher length = CONTENT_LENGTH.matcher(text.substring(0, headEnd));
                contentLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
            }
        }
        return answer.toByteArray();
    }
}
