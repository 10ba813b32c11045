package com.dehive.calling.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service jar as its own OS process, on the embedded H2 store in a given data directory, as a newcomer
 * runs it. It can be killed without warning ({@code kill -9}) and started again on the same data.
 */
public final class ServiceProcess implements AutoCloseable {

    /** Tokens minted before a kill stay valid after the restart. */
    static final String JWT_SECRET = "process-test-secret-process-test-secret-0123";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final int port;
    private final int socketPort;

    private ServiceProcess(Process process, Path log, int port, int socketPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.socketPort = socketPort;
    }

    public static ServiceProcess start(Path dataDir, Map<String, String> environment) {
        return start(dataDir, environment, false);
    }

    /**
     * The jar with this build's test classes on its class path, so that the test hooks ({@code TestHooks}) can be
     * set through {@code environment}: crash points, a clock offset, a slow append.
     */
    public static ServiceProcess startWithTestHooks(Path dataDir, Map<String, String> environment) {
        return start(dataDir, environment, true);
    }

    private static ServiceProcess start(Path dataDir, Map<String, String> environment, boolean testHooks) {
        Path jar = Path.of("target", "calling-service.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the jar is packaged before the integration tests");
        }
        int port = ServiceIT.freePort();
        int socketPort = ServiceIT.freePort();
        try {
            Path log = Files.createTempFile(Path.of("target"), "service-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
            if (testHooks) {
                command.addAll(List.of("-cp", jar.toString(),
                        "-Dloader.path=" + Path.of("target", "test-classes").toAbsolutePath(),
                        "-Dloader.main=com.dehive.calling.CallingServiceApplication",
                        "org.springframework.boot.loader.launch.PropertiesLauncher"));
            } else {
                command.addAll(List.of("-jar", jar.toString()));
            }
            command.addAll(List.of(
                    "--server.port=" + port,
                    "--calling.mongo.data-dir=" + dataDir.toAbsolutePath()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(Map.of(
                    "CALLING_AUTH_MODE", "dev",
                    "CALLING_JWT_SECRET", JWT_SECRET,
                    "SOCKET_IO_PORT", String.valueOf(socketPort),
                    "CLOUD_HOST", "127.0.0.1",
                    "AXONIQ_UPDATE_CHECKER_DISABLED", "true"));
            builder.environment().putAll(environment);
            ServiceProcess service = new ServiceProcess(builder.start(), log, port, socketPort);
            // with a management port of its own, health answers there only
            service.awaitHealthy(Integer.parseInt(environment.getOrDefault("MANAGEMENT_PORT", String.valueOf(port))));
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CallingApi api() {
        return new CallingApi("http://127.0.0.1:" + port);
    }

    public int socketPort() {
        return socketPort;
    }

    /** The names of every class the process has loaded, as {@code jcmd VM.class_hierarchy} lists them. */
    public String loadedClasses() {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(process.pid()), "VM.class_hierarchy").redirectErrorStream(true).start();
            String listing = new String(jcmd.getInputStream().readAllBytes());
            if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new IllegalStateException("jcmd failed: " + listing);
            }
            return listing;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill9() {
        try {
            new ProcessBuilder("kill", "-9", String.valueOf(process.pid())).inheritIO().start().waitFor();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the service survived kill -9");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the process to end by itself (a test hook halting it); answers its exit code, or -1 if it did not. */
    public int awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A graceful stop (SIGTERM), as an operator would. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private void awaitHealthy(int healthPort) {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited at start:\n" + tail());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + healthPort + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("the service did not become healthy in " + START_TIMEOUT + ":\n" + tail());
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
