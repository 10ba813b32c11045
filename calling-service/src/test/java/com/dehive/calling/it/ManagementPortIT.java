package com.dehive.calling.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code MANAGEMENT_PORT}: health and metrics leave the public port for a port of their own, which listens on
 * {@code CLOUD_HOST} like the rest, and which the service's security chain and filters guard too.
 */
class ManagementPortIT {

    @TempDir
    Path dataDir;

    @Test
    void metrics_and_health_move_to_the_management_port() {
        int managementPort = ServiceIT.freePort();
        try (ServiceProcess service = ServiceProcess.start(dataDir,
                Map.of("MANAGEMENT_PORT", String.valueOf(managementPort)))) {
            CallingApi publicPort = service.api();
            CallingApi management = new CallingApi("http://127.0.0.1:" + managementPort);

            assertThat(publicPort.get("/actuator/prometheus", null).status()).isEqualTo(404);
            assertThat(publicPort.get("/actuator/health", null).status()).isEqualTo(404);
            assertThat(publicPort.get("/api/calls/active", publicPort.token("alice")).status()).isEqualTo(200);

            CallingApi.Response metrics = management.get("/actuator/prometheus", null);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.raw().body()).contains("calling_sockets_connected");
            CallingApi.Response health = management.get("/actuator/health", null);
            assertThat(health.body().get("status").asText()).isEqualTo("UP");
            assertThat(health.body().get("components").get("mongo").get("status").asText()).isEqualTo("UP");

            CallingApi.Response tooLarge = management.postRaw("/actuator/health", null, "x".repeat(70_000));
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.code()).isEqualTo("PAYLOAD_TOO_LARGE");

            // CLOUD_HOST is 127.0.0.1: the management port is not on this machine's other addresses
            Optional<InetAddress> other = otherAddress();
            if (other.isPresent()) {
                assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(other.get(), managementPort), 2000);
                    }
                }).isInstanceOf(IOException.class);
            }
        }
    }

    /** An address of this machine that is not loopback, if it has one. */
    private static Optional<InetAddress> otherAddress() {
        try {
            return NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }
}
