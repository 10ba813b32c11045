package com.dehive.calling.gateway.admin;

import com.dehive.calling.gateway.web.ApiResponse;
import com.dehive.calling.shared.deadletter.DeadLetterRetryView;
import com.dehive.calling.shared.deadletter.DeadLetterView;
import com.dehive.calling.shared.deadletter.FindDeadLettersQuery;
import com.dehive.calling.shared.deadletter.RetryDeadLettersCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The events processors could not handle, waiting in their dead-letter queues (role {@code admin}). */
@RestController
@RequestMapping("/api/admin/dead-letters")
@Tag(name = "admin", description = "Projection rebuilds, dead letters and consistency checks (role admin)")
public class DeadLetterAdminController {

    private final CommandGateway commands;
    private final QueryGateway queries;

    public DeadLetterAdminController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    @GetMapping
    @Operation(summary = "The dead letters of every processor, or of one (?processor=call-history)",
            description = "Each with its call, its place in the call's sequence (later events of the call wait "
                    + "behind the first), the cause, and how often it was retried. Errors: 403 FORBIDDEN, "
                    + "404 NOT_FOUND.")
    public CompletableFuture<ApiResponse<List<DeadLetterView>>> list(
            @RequestParam(name = "processor", required = false) String processor) {
        return queries.query(new FindDeadLettersQuery(processor), ResponseTypes.multipleInstancesOf(
                        DeadLetterView.class))
                .thenApply(letters -> ApiResponse.ok("Dead letters retrieved successfully", letters));
    }

    @PostMapping("/{processor}/retry")
    @Operation(summary = "Hand a processor's dead letters to its handlers again now",
            description = "Letters that go through leave the queue; those that fail again stay, with one more "
                    + "retry counted. Errors: 403 FORBIDDEN, 404 NOT_FOUND.")
    public CompletableFuture<ApiResponse<DeadLetterRetryView>> retry(@PathVariable String processor) {
        return commands.<DeadLetterRetryView>send(new RetryDeadLettersCommand(processor))
                .thenApply(retried -> ApiResponse.ok("Dead letters retried", retried));
    }
}
