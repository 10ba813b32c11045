package com.dehive.calling.gateway.turn;

import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.gateway.web.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/** TURN credentials and ICE servers, for authenticated users only: anonymous TURN minting is an open relay. */
@RestController
@RequestMapping("/api/turn")
@Tag(name = "turn", description = "TURN credentials (coturn use-auth-secret) and ICE servers")
public class TurnController {

    private final TurnCredentials credentials;

    public TurnController(TurnCredentials credentials) {
        this.credentials = credentials;
    }

    @GetMapping("/credentials")
    @Operation(summary = "Time-limited TURN credentials: username <expiry>:<user id>, HMAC-SHA1 credential",
            description = "Errors: 401 AUTHENTICATION_REQUIRED; 500 INTERNAL when TURN_SECRET is not set.")
    public ApiResponse<TurnCredentials.Credential> credentials(@AuthenticationPrincipal AuthenticatedUser user) {
        return ApiResponse.ok("TURN credentials retrieved successfully", credentials.issue(user.id()));
    }

    @GetMapping("/ice-servers")
    @Operation(summary = "The STUN servers and, when configured, TURN over UDP and TCP with fresh credentials",
            description = "Errors: 401 AUTHENTICATION_REQUIRED.")
    public ApiResponse<Map<String, List<TurnCredentials.IceServer>>> iceServers(
            @AuthenticationPrincipal AuthenticatedUser user) {
        return ApiResponse.ok("ICE servers retrieved successfully",
                Map.of("iceServers", credentials.iceServers(user.id())));
    }

    @Configuration(proxyBeanMethods = false)
    static class TurnConfig {

        @Bean
        TurnCredentials turnCredentials(TurnProperties properties) {
            return new TurnCredentials(properties, Clock.systemUTC());
        }
    }
}
