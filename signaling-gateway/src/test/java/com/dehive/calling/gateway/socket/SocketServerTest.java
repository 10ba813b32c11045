package com.dehive.calling.gateway.socket;

import org.junit.jupiter.api.Test;
import org.springframework.web.cors.CorsConfiguration;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SocketServerTest {

    @Test
    void a_server_stops_without_waiting_for_its_idle_event_loops() throws Exception {
        SocketServer server = server(freePort());
        server.start();

        long started = System.nanoTime();
        server.stop();

        // Netty's default graceful shutdown waits two seconds per event-loop group
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void a_server_whose_port_is_taken_fails_to_start_and_leaves_no_thread_behind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SocketServer server = server(taken.getLocalPort());

            assertThatThrownBy(server::start).hasMessageContaining("in use");
        }

        await().pollInSameThread().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
    }

    private static SocketServer server(int port) {
        return new SocketServer(new SocketProperties("127.0.0.1", port, 65536, 1 << 20, 100, 10, 2), List.of(),
                new SocketClients(), new CorsConfiguration().applyPermitDefaultValues());
    }

    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive() && !thread.isDaemon())
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
