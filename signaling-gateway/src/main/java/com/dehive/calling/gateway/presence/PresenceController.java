package com.dehive.calling.gateway.presence;

import com.dehive.calling.gateway.cluster.Presence;
import com.dehive.calling.gateway.web.ApiResponse;
import com.dehive.calling.shared.UserId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Whether a user has a socket connected, so that a caller can see who is reachable. */
@RestController
@Tag(name = "presence", description = "Who is online")
public class PresenceController {

    private final Presence presence;

    public PresenceController(Presence presence) {
        this.presence = presence;
    }

    @GetMapping("/api/presence/{user_id}")
    @Operation(summary = "Whether the user has a socket connected to the service, and on which nodes",
            description = "Errors: 400 VALIDATION_FAILED, 401 AUTHENTICATION_REQUIRED.")
    public CompletableFuture<ApiResponse<Map<String, Object>>> presence(@PathVariable("user_id") String userId) {
        UserId user = UserId.of(userId);
        return presence.nodesOf(user).thenApply(nodes -> ApiResponse.ok("Presence retrieved successfully",
                Map.of("user_id", user.toString(), "online", !nodes.isEmpty(), "nodes", nodes)));
    }
}
