package com.dehive.calling.gateway.presence;

import com.dehive.calling.gateway.socket.SocketClients;
import com.dehive.calling.gateway.web.ApiResponse;
import com.dehive.calling.shared.UserId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** Whether a user has a socket connected, so that a caller can see who is reachable. */
@RestController
@Tag(name = "presence", description = "Who is online")
public class PresenceController {

    private final SocketClients clients;

    public PresenceController(SocketClients clients) {
        this.clients = clients;
    }

    @GetMapping("/api/presence/{user_id}")
    @Operation(summary = "Whether the user has a socket connected to this service",
            description = "Errors: 400 VALIDATION_FAILED, 401 AUTHENTICATION_REQUIRED.")
    public ApiResponse<Map<String, Object>> presence(@PathVariable("user_id") String userId) {
        UserId user = UserId.of(userId);
        return ApiResponse.ok("Presence retrieved successfully",
                Map.of("user_id", user.toString(), "online", clients.socketsOfExcept(user, null) > 0));
    }
}
