package com.dehive.calling.gateway.call;

import com.dehive.calling.gateway.auth.AuditTrail;
import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.gateway.ratelimit.RateLimits;
import com.dehive.calling.gateway.web.ApiError;
import com.dehive.calling.gateway.web.ApiResponse;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.call.AcceptCallCommand;
import com.dehive.calling.shared.call.AcceptCallResult;
import com.dehive.calling.shared.call.CallStatus;
import com.dehive.calling.shared.call.DeclineCallCommand;
import com.dehive.calling.shared.call.DeclineCallResult;
import com.dehive.calling.shared.call.EndCallCommand;
import com.dehive.calling.shared.call.EndCallResult;
import com.dehive.calling.shared.call.StartCallCommand;
import com.dehive.calling.shared.call.StartCallResult;
import com.dehive.calling.shared.call.ToggleMediaCommand;
import com.dehive.calling.shared.call.ToggleMediaResult;
import com.dehive.calling.shared.query.CallHistoryPage;
import com.dehive.calling.shared.query.CallView;
import com.dehive.calling.shared.query.FindActiveCallQuery;
import com.dehive.calling.shared.query.FindCallHistoryQuery;
import com.dehive.calling.shared.query.FindCallQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static com.dehive.calling.gateway.call.CallRequests.orTrue;

/**
 * The call endpoints of PROTOCOL.md. Thin: parse, authorize, dispatch, answer. The acting user is always the
 * authenticated one. Commands and queries go out asynchronously; the answer is written when they complete, and a
 * command's once the call history shows it ({@link CallCommands}).
 */
@RestController
@RequestMapping("/api/calls")
@Tag(name = "calls", description = "Start, answer and end calls; read the active call and the history")
@ApiResponses({
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400",
                description = "INVALID_FORMAT (unparsable JSON) or VALIDATION_FAILED (missing field, wrong type)",
                content = @Content(schema = @Schema(implementation = ApiError.class))),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "401",
                description = "AUTHENTICATION_REQUIRED: no, forged or expired credential",
                content = @Content(schema = @Schema(implementation = ApiError.class))),
        @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "500", description = "INTERNAL",
                content = @Content(schema = @Schema(implementation = ApiError.class)))})
public class CallController {

    private static final Logger log = LoggerFactory.getLogger(CallController.class);

    private final CallCommands commands;
    private final QueryGateway queries;
    private final RateLimits rateLimits;
    private final RateLimits.Limit callStartLimit;

    public CallController(CallCommands commands, QueryGateway queries, RateLimits rateLimits,
                          RateLimits.Limit callStartLimit) {
        this.commands = commands;
        this.queries = queries;
        this.rateLimits = rateLimits;
        this.callStartLimit = callStartLimit;
    }

    @PostMapping("/start")
    @Operation(summary = "Ring another user",
            description = "Answers status ringing; or status ended with end_reason user_busy when the callee is "
                    + "already in a call (the busy call is recorded). Errors: 400 SELF_CALL, 409 ALREADY_IN_CALL, "
                    + "429 RATE_LIMITED (CALL_RATE_LIMIT starts per CALL_RATE_WINDOW; Retry-After says when).")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Call started"),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "409",
                    description = "ALREADY_IN_CALL: the caller is in a ringing or connected call",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public CompletableFuture<ApiResponse<StartCallResult>> start(@AuthenticationPrincipal AuthenticatedUser user,
                                                                 @Valid @RequestBody CallRequests.StartCall request,
                                                                 HttpServletRequest http) {
        rateLimits.consume(callStartLimit, user.id().toString());
        StartCallCommand command = new StartCallCommand(CallId.newId(), user.profile(),
                UserId.of(request.targetUserId()), orTrue(request.withVideo()), orTrue(request.withAudio()));
        return commands.<StartCallResult>send(command, AuditTrail.ofRequest(user, http)).thenApply(result -> {
            log.info("event=call_started call={} caller={} callee={} status={}", result.callId(), user.id(),
                    result.targetUserId(), result.status().wireName());
            return ApiResponse.ok(result.status() == CallStatus.RINGING
                    ? "Call started successfully" : "The user is busy in another call", result);
        });
    }

    @PostMapping("/accept")
    @Operation(summary = "Answer a ringing call (callee only)",
            description = "Errors: 403 NOT_A_PARTICIPANT, 404 CALL_NOT_FOUND, 409 INVALID_CALL_STATE.")
    public CompletableFuture<ApiResponse<AcceptCallResult>> accept(@AuthenticationPrincipal AuthenticatedUser user,
                                                                   @Valid @RequestBody CallRequests.AcceptCall request,
                                                                   HttpServletRequest http) {
        AcceptCallCommand command = new AcceptCallCommand(CallId.of(request.callId()), user.profile(),
                orTrue(request.withVideo()), orTrue(request.withAudio()));
        return commands.<AcceptCallResult>send(command, AuditTrail.ofRequest(user, http))
                .thenApply(result -> ApiResponse.ok("Call accepted successfully", result));
    }

    @PostMapping("/decline")
    @Operation(summary = "Refuse a ringing call (callee only)",
            description = "Errors: 403 NOT_A_PARTICIPANT, 404 CALL_NOT_FOUND, 409 INVALID_CALL_STATE.")
    public CompletableFuture<ApiResponse<DeclineCallResult>> decline(@AuthenticationPrincipal AuthenticatedUser user,
                                                                     @Valid @RequestBody CallRequests.CallReference request,
                                                                     HttpServletRequest http) {
        return commands.<DeclineCallResult>send(new DeclineCallCommand(CallId.of(request.callId()), user.id()),
                        AuditTrail.ofRequest(user, http))
                .thenApply(result -> ApiResponse.ok("Call declined successfully", result));
    }

    @PostMapping("/end")
    @Operation(summary = "Hang up (either participant)",
            description = "end_reason is user_hangup for a connected call, cancelled when the caller ends a ringing "
                    + "one; a callee who ends a ringing call declines it (status declined). Ending "
                    + "a call you already ended answers as the first time. "
                    + "Errors: 403 NOT_A_PARTICIPANT, 404 CALL_NOT_FOUND, 409 INVALID_CALL_STATE.")
    public CompletableFuture<ApiResponse<EndCallResult>> end(@AuthenticationPrincipal AuthenticatedUser user,
                                                             @Valid @RequestBody CallRequests.CallReference request,
                                                             HttpServletRequest http) {
        return commands.<EndCallResult>send(new EndCallCommand(CallId.of(request.callId()), user.id()),
                        AuditTrail.ofRequest(user, http))
                .thenApply(result -> ApiResponse.ok("Call ended successfully", result));
    }

    @PostMapping("/toggle-media")
    @Operation(summary = "Turn a medium on or off, or mute or unmute it (either participant, live calls only)",
            description = "media_type audio, video or screen_share; state enabled, disabled, muted or unmuted. "
                    + "Errors: 403 NOT_A_PARTICIPANT, 404 CALL_NOT_FOUND, 409 INVALID_CALL_STATE.")
    public CompletableFuture<ApiResponse<ToggleMediaResult>> toggleMedia(
            @AuthenticationPrincipal AuthenticatedUser user, @Valid @RequestBody CallRequests.ToggleMedia request,
            HttpServletRequest http) {
        ToggleMediaCommand command = new ToggleMediaCommand(CallId.of(request.callId()), user.id(),
                request.mediaType(), request.state());
        return commands.<ToggleMediaResult>send(command, AuditTrail.ofRequest(user, http))
                .thenApply(result -> ApiResponse.ok("Media toggled successfully", result));
    }

    @GetMapping("/active")
    @Operation(summary = "The caller's ringing or connected call, or null")
    public CompletableFuture<ApiResponse<CallView>> active(@AuthenticationPrincipal AuthenticatedUser user) {
        return queries.query(new FindActiveCallQuery(user.id()), ResponseTypes.optionalInstanceOf(CallView.class))
                .thenApply(call -> call
                        .map(view -> ApiResponse.ok("Active call retrieved successfully", view))
                        .orElseGet(() -> ApiResponse.ok("No active call found", null)));
    }

    @GetMapping("/history")
    @Operation(summary = "The caller's calls, newest first; total counts all of them",
            description = "Errors: 400 VALIDATION_FAILED when limit is outside 1..100 or offset is negative.")
    public CompletableFuture<ApiResponse<CallHistoryPage>> history(
            @AuthenticationPrincipal AuthenticatedUser user,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
            @RequestParam(defaultValue = "0") @Min(0) int offset) {
        return queries.query(new FindCallHistoryQuery(user.id(), limit, offset), CallHistoryPage.class)
                .thenApply(page -> ApiResponse.ok("Call history retrieved successfully", page));
    }

    @GetMapping("/{call_id}")
    @Operation(summary = "One call, for a participant",
            description = "Errors: 403 NOT_A_PARTICIPANT, 404 CALL_NOT_FOUND.")
    public CompletableFuture<ApiResponse<CallView>> call(
            @AuthenticationPrincipal AuthenticatedUser user,
            @Parameter(description = "the call's id") @PathVariable("call_id")
            @Pattern(regexp = CallRequests.ID_PATTERN, message = CallRequests.ID_MESSAGE) String callId) {
        return queries.query(new FindCallQuery(CallId.of(callId)), ResponseTypes.optionalInstanceOf(CallView.class))
                .thenApply(call -> ApiResponse.ok("Call retrieved successfully", visibleTo(user, call)));
    }

    private static CallView visibleTo(AuthenticatedUser user, Optional<CallView> call) {
        CallView view = call.orElseThrow(() -> new CallingException(ErrorCode.CALL_NOT_FOUND));
        if (!view.hasParticipant(user.id().toString())) {
            throw new CallingException(ErrorCode.NOT_A_PARTICIPANT);
        }
        return view;
    }
}
