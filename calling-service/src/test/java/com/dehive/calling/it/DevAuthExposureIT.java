package com.dehive.calling.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dev auth mode (anyone mints any token) listens on loopback only: on another address it refuses to start and says
 * what to set, unless {@code CALLING_DEV_AUTH_EXPOSED=true} says the exposure is meant.
 */
class DevAuthExposureIT {

    @TempDir
    Path dataDir;

    @Test
    void dev_mode_refuses_to_start_on_a_public_address() {
        // closed at once should it start after all
        assertThatThrownBy(() -> ServiceProcess.start(dataDir, Map.of("CLOUD_HOST", "0.0.0.0")).close())
                .hasMessageContaining("the service exited at start")
                .hasMessageContaining("APPLICATION FAILED TO START")
                .hasMessageContaining("would listen on 0.0.0.0 (REST), 0.0.0.0 (Socket.IO)")
                .hasMessageContaining("CLOUD_HOST=127.0.0.1")
                .hasMessageContaining("set CALLING_DEV_AUTH_EXPOSED=true");
    }

    @Test
    void dev_mode_starts_on_a_public_address_when_told_to() {
        try (ServiceProcess service = ServiceProcess.start(dataDir,
                Map.of("CLOUD_HOST", "0.0.0.0", "CALLING_DEV_AUTH_EXPOSED", "true"))) {
            CallingApi api = service.api();
            assertThat(api.get("/api/calls/active", api.token("alice")).status()).isEqualTo(200);
            assertThat(service.tail()).contains("event=dev_auth_exposed");
        }
    }
}
