package com.dehive.calling.gateway.admin;

import com.dehive.calling.gateway.web.ApiResponse;
import com.dehive.calling.shared.consistency.CheckConsistencyQuery;
import com.dehive.calling.shared.consistency.ConsistencyRepairView;
import com.dehive.calling.shared.consistency.ConsistencyReport;
import com.dehive.calling.shared.consistency.FindConsistencyRepairQuery;
import com.dehive.calling.shared.consistency.RepairConsistencyCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.CompletableFuture;

/** Whether the projections say what the event store says, and putting them right (role {@code admin}). */
@RestController
@RequestMapping("/api/admin/consistency")
@Tag(name = "admin", description = "Projection rebuilds, dead letters and consistency checks (role admin)")
public class ConsistencyAdminController {

    private final CommandGateway commands;
    private final QueryGateway queries;

    public ConsistencyAdminController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    @GetMapping
    @Operation(summary = "Compare every projection with the event store",
            description = "Replays every stored event into scratch read models and compares them with the live "
                    + "ones: each call's history record, each ended call's conversation message, each call's "
                    + "analytics facts. Lists what differs, with call ids. Takes about as long as a rebuild. "
                    + "Errors: 403 FORBIDDEN, 503 STORE_BUSY (a projection is still catching up: ask again).")
    public CompletableFuture<ApiResponse<ConsistencyReport>> check() {
        return queries.query(new CheckConsistencyQuery(), ConsistencyReport.class)
                .thenApply(report -> ApiResponse.ok(report.consistent()
                        ? "The projections match the event store" : "The projections differ from the event store",
                        report));
    }

    @PostMapping
    @Operation(summary = "Check, then repair what differs",
            description = "Answers 202 at once; GET /api/admin/consistency/repair shows the progress. Idempotent: "
                    + "a repair after a repair finds nothing. Errors: 403 FORBIDDEN, 409 REPAIR_IN_PROGRESS.")
    public CompletableFuture<ResponseEntity<ApiResponse<ConsistencyRepairView>>> repair() {
        return commands.<ConsistencyRepairView>send(new RepairConsistencyCommand())
                .thenApply(progress -> ResponseEntity.status(HttpStatus.ACCEPTED)
                        .body(new ApiResponse<>(true, HttpStatus.ACCEPTED.value(), "Repair started", progress)));
    }

    @GetMapping("/repair")
    @Operation(summary = "How the latest repair is going", description = "Errors: 403 FORBIDDEN.")
    public CompletableFuture<ApiResponse<ConsistencyRepairView>> repairProgress() {
        return queries.query(new FindConsistencyRepairQuery(), ConsistencyRepairView.class)
                .thenApply(progress -> ApiResponse.ok("Repair progress retrieved successfully", progress));
    }
}
