package com.dehive.calling.gateway.audit;

import com.dehive.calling.gateway.web.ApiResponse;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.audit.ChainVerificationView;
import com.dehive.calling.shared.audit.FindCallEventsQuery;
import com.dehive.calling.shared.audit.FindStoredEventsQuery;
import com.dehive.calling.shared.audit.StoredEventView;
import com.dehive.calling.shared.audit.StoredEventsPage;
import com.dehive.calling.shared.audit.VerifyCallEventsQuery;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The event store as auditors read it. Access is by role (SecurityConfig): {@code auditor} for a call's history and
 * its verification, {@code auditor} or {@code analytics} for the export.
 */
@RestController
@RequestMapping("/api/audit")
@Tag(name = "audit", description = "Exact, verifiable call histories from the event store (roles auditor, analytics)")
public class AuditController {

    /** The header that tells an exporter where to resume. */
    public static final String NEXT_POSITION = "X-Next-Position";

    private final QueryGateway queries;
    private final ObjectMapper json;

    public AuditController(QueryGateway queries, ObjectMapper json) {
        this.queries = queries;
        this.json = json;
    }

    @GetMapping("/calls/{call_id}/events")
    @Operation(summary = "A call's whole event history, in order (role auditor)",
            description = "Each event with sequence, type, timestamp, payload and metadata (actor, auth method, "
                    + "channel, client address, correlation id, node id, prev_hash, hash). "
                    + "Errors: 403 FORBIDDEN, 404 CALL_NOT_FOUND.")
    public CompletableFuture<ApiResponse<List<StoredEventView>>> callEvents(@PathVariable("call_id") String callId) {
        return queries.query(new FindCallEventsQuery(CallId.of(callId)),
                        ResponseTypes.multipleInstancesOf(StoredEventView.class))
                .thenApply(events -> {
                    if (events.isEmpty()) {
                        throw new CallingException(ErrorCode.CALL_NOT_FOUND);
                    }
                    return ApiResponse.ok("Call events retrieved successfully", events);
                });
    }

    @GetMapping("/calls/{call_id}/verify")
    @Operation(summary = "Recompute a call's hash chain and name the first broken link (role auditor)",
            description = "Errors: 403 FORBIDDEN, 404 CALL_NOT_FOUND.")
    public CompletableFuture<ApiResponse<ChainVerificationView>> verify(@PathVariable("call_id") String callId) {
        return queries.query(new VerifyCallEventsQuery(CallId.of(callId)), ChainVerificationView.class)
                .thenApply(result -> ApiResponse.ok(result.valid()
                        ? "The call's history is intact" : "The call's history was altered", result));
    }

    @GetMapping(value = "/events", produces = "application/x-ndjson")
    @Operation(summary = "Every event in store order as NDJSON, resumable (roles auditor, analytics)",
            description = "One event per line, each with its position. Resume with ?after=<the last position>; "
                    + "the X-Next-Position header carries it too. Positions are taken in order and only once the one "
                    + "before is stored, so a resumed export has no gap. Errors: 400 VALIDATION_FAILED, 403 FORBIDDEN.")
    public CompletableFuture<ResponseEntity<byte[]>> export(
            @RequestParam(required = false) String after,
            @RequestParam(defaultValue = "1000") @Min(1) @Max(10_000) int limit) {
        return queries.query(new FindStoredEventsQuery(after, limit), StoredEventsPage.class)
                .thenApply(page -> {
                    StringBuilder lines = new StringBuilder();
                    for (StoredEventView event : page.events()) {
                        lines.append(line(event)).append('\n');
                    }
                    ResponseEntity.BodyBuilder response = ResponseEntity.ok()
                            .contentType(MediaType.parseMediaType("application/x-ndjson"));
                    if (page.nextPosition() != null) {
                        response.header(NEXT_POSITION, page.nextPosition());
                    }
                    return response.body(lines.toString().getBytes(StandardCharsets.UTF_8));
                });
    }

    private String line(StoredEventView event) {
        try {
            return json.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
