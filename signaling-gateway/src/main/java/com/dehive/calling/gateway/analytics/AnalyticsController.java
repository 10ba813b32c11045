package com.dehive.calling.gateway.analytics;

import com.dehive.calling.gateway.web.ApiResponse;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.query.DailyCallStatsView;
import com.dehive.calling.shared.query.FindDailyCallStatsQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Call statistics per UTC day (role {@code analytics}). */
@RestController
@RequestMapping("/api/analytics")
@Tag(name = "analytics", description = "Call statistics (role analytics)")
public class AnalyticsController {

    private static final long MAX_DAYS = 366;

    private final QueryGateway queries;

    public AnalyticsController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/calls/daily")
    @Operation(summary = "Per day: started, answered, declined, missed, busy, cancelled, disconnected, answer rate, "
            + "mean and p95 talk time, mean time to answer",
            description = "from and to are ISO dates (UTC), both included, at most 366 days apart. "
                    + "Errors: 400 VALIDATION_FAILED, 403 FORBIDDEN.")
    public CompletableFuture<ApiResponse<List<DailyCallStatsView>>> daily(
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        if (to.isBefore(from)) {
            throw new CallingException(ErrorCode.VALIDATION_FAILED, "to: must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new CallingException(ErrorCode.VALIDATION_FAILED, "at most " + MAX_DAYS + " days at a time");
        }
        return queries.query(new FindDailyCallStatsQuery(from, to),
                        ResponseTypes.multipleInstancesOf(DailyCallStatsView.class))
                .thenApply(days -> ApiResponse.ok("Daily call statistics retrieved successfully", days));
    }
}
