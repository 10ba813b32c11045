package com.dehive.calling.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** The embedded MongoDB-wire store as its own process (the service jar's StandaloneStore), shared by several nodes. */
final class StoreProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private StoreProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static StoreProcess start() {
        Path jar = Path.of("target", "calling-service.jar").toAbsolutePath();
        int port = ServiceIT.freePort();
        try {
            Path log = Files.createTempFile(Path.of("target"), "store-", ".log");
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", jar.toString(),
                    "-Dloader.main=com.dehive.calling.eventstore.embedded.StandaloneStore",
                    "org.springframework.boot.loader.launch.PropertiesLauncher", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            StoreProcess store = new StoreProcess(process, port);
            store.awaitListening(log);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String uri() {
        return "mongodb://127.0.0.1:" + port;
    }

    private void awaitListening(Path log) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the store exited at start:\n" + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        close();
        throw new IllegalStateException("the store did not listen in time:\n" + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
    }
}
