package com.dehive.calling.gateway.admin;

import com.dehive.calling.gateway.web.ApiResponse;
import com.dehive.calling.shared.replay.FindReplayProgressQuery;
import com.dehive.calling.shared.replay.ReplayProgressView;
import com.dehive.calling.shared.replay.ReplayProjectionCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.CompletableFuture;

/** Rebuilding projections from the event store (role {@code admin}). */
@RestController
@RequestMapping("/api/admin/projections")
@Tag(name = "admin", description = "Projection rebuilds, dead letters and consistency checks (role admin)")
public class ProjectionAdminController {

    private final CommandGateway commands;
    private final QueryGateway queries;

    public ProjectionAdminController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    @PostMapping("/{name}/replay")
    @Operation(summary = "Rebuild a projection (call-history, call-analytics, conversation-messages)",
            description = "Answers 202 at once; the rebuild runs while the service keeps answering. "
                    + "Errors: 403 FORBIDDEN, 404 NOT_FOUND, 409 REPLAY_IN_PROGRESS.")
    public CompletableFuture<ResponseEntity<ApiResponse<ReplayProgressView>>> replay(@PathVariable String name) {
        return commands.<ReplayProgressView>send(new ReplayProjectionCommand(name))
                .thenApply(progress -> ResponseEntity.status(HttpStatus.ACCEPTED)
                        .body(new ApiResponse<>(true, HttpStatus.ACCEPTED.value(), "Rebuild started", progress)));
    }

    @GetMapping("/{name}/replay")
    @Operation(summary = "How the projection's latest rebuild is going: events processed, events/s, done",
            description = "Errors: 403 FORBIDDEN, 404 NOT_FOUND.")
    public CompletableFuture<ApiResponse<ReplayProgressView>> progress(@PathVariable String name) {
        return queries.query(new FindReplayProgressQuery(name), ReplayProgressView.class)
                .thenApply(progress -> ApiResponse.ok("Rebuild progress retrieved successfully", progress));
    }
}
