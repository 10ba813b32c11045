package com.dehive.calling.gateway.telemetry;

import com.dehive.calling.gateway.auth.AuditTrail;
import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.gateway.web.ApiError;
import com.dehive.calling.gateway.web.ApiResponse;
import com.dehive.calling.shared.call.CallReportResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.CompletableFuture;

/**
 * The media reports over REST, for clients that do not keep a socket; the same reports as the socket events
 * {@code callConnected}, {@code callMediaFailed} and {@code callStats}. The reporting participant is the
 * authenticated user.
 */
@RestController
@RequestMapping("/api/calls")
@Tag(name = "media reports", description = "What happened to a call's media, reported by its participants")
@ApiResponses({
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400",
                description = "INVALID_FORMAT or VALIDATION_FAILED (a missing field, a wrong type, a value out of "
                        + "range or not in the list)",
                content = @Content(schema = @Schema(implementation = ApiError.class))),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "403",
                description = "NOT_A_PARTICIPANT",
                content = @Content(schema = @Schema(implementation = ApiError.class))),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404",
                description = "CALL_NOT_FOUND",
                content = @Content(schema = @Schema(implementation = ApiError.class))),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "409",
                description = "INVALID_CALL_STATE: the call is not ringing or connected",
                content = @Content(schema = @Schema(implementation = ApiError.class)))})
public class MediaReportController {

    private final MediaReports reports;

    public MediaReportController(MediaReports reports) {
        this.reports = reports;
    }

    @PostMapping("/connected")
    @Operation(summary = "My media connected: how long it took from the answer, over which candidate pair",
            description = "Only the first report of each participant counts; a repeat answers recorded false.")
    public CompletableFuture<ApiResponse<CallReportResult>> connected(
            @AuthenticationPrincipal AuthenticatedUser user, @Valid @RequestBody MediaReportRequests.Connected report,
            HttpServletRequest http) {
        return reports.connected(user.id(), report, AuditTrail.ofRequest(user, http)).thenApply(result ->
                answer(result, "Media connection recorded", "Media connection already recorded; nothing changed"));
    }

    @PostMapping("/media-failed")
    @Operation(summary = "My media failed for good",
            description = "Only the first report of each participant counts; a repeat answers recorded false.")
    public CompletableFuture<ApiResponse<CallReportResult>> mediaFailed(
            @AuthenticationPrincipal AuthenticatedUser user,
            @Valid @RequestBody MediaReportRequests.MediaFailed report, HttpServletRequest http) {
        return reports.failed(user.id(), report, AuditTrail.ofRequest(user, http)).thenApply(result ->
                answer(result, "Media failure recorded", "Media failure already recorded; nothing changed"));
    }

    @PostMapping("/stats")
    @Operation(summary = "A summary of my media so far",
            description = "One a minute while the call rings or is connected (one sooner answers recorded false), "
                    + "and a closing one within 30 s after a connected call ended.")
    public CompletableFuture<ApiResponse<CallReportResult>> stats(
            @AuthenticationPrincipal AuthenticatedUser user, @Valid @RequestBody MediaReportRequests.Stats report,
            HttpServletRequest http) {
        return reports.stats(user.id(), report, AuditTrail.ofRequest(user, http)).thenApply(result ->
                answer(result, "Call stats recorded",
                        "Call stats ignored: one sample a minute, and one closing sample"));
    }

    private static ApiResponse<CallReportResult> answer(CallReportResult result, String recorded, String ignored) {
        return ApiResponse.ok(result.recorded() ? recorded : ignored, result);
    }
}
