package com.dehive.calling.it;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import java.util.Map;
import java.util.UUID;

/**
 * The whole service in this JVM on the in-memory embedded store, reached over real HTTP. Every test class shares
 * one context (and store), so each test makes up its own users.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class ServiceIT {

    /** The HS256 secret of application-test.yml, for forging tokens the service must refuse or accept. */
    protected static final String TEST_JWT_SECRET = "test-secret-test-secret-test-secret-0123456789";

    @LocalServerPort
    private int port;

    @Value("${calling.socket.port}")
    protected int socketPort;

    /** Each context gets a free port for its Socket.IO server. */
    @DynamicPropertySource
    static void socketPort(DynamicPropertyRegistry registry) {
        int port = freePort(); // once per context: the supplier is asked again on every read
        registry.add("calling.socket.port", () -> port);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected CallingApi api() {
        return new CallingApi(baseUrl());
    }

    protected String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts a call that rings and answers its id. */
    protected static String ringingCall(CallingApi api, String callerToken, String callee) {
        CallingApi.Response started = api.post("/api/calls/start", callerToken, Map.of("target_user_id", callee));
        if (started.status() != 200 || !"ringing".equals(started.data().get("status").asText())) {
            throw new AssertionError("the call did not ring: " + started.body());
        }
        return started.data().get("call_id").asText();
    }

    /** Sends a call command and insists that it is acknowledged. */
    protected static CallingApi.Response acknowledged(CallingApi api, String path, String token, Map<String, ?> body) {
        CallingApi.Response response = api.post(path, token, body);
        if (response.status() != 200) {
            throw new AssertionError(path + " was refused: " + response.body());
        }
        return response;
    }

    protected static String newUser(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
