package com.dehive.calling.gateway.telemetry;

import com.dehive.calling.gateway.call.CallCommands;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.call.CallReportResult;
import com.dehive.calling.shared.call.ReportCallQualityCommand;
import com.dehive.calling.shared.call.ReportMediaConnectedCommand;
import com.dehive.calling.shared.call.ReportMediaFailedCommand;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A participant's media reports, from either edge: sent to the call as commands, and what the call recorded counted
 * in Prometheus (repeats the call ignored are not counted again). Counted on the node the report reached.
 */
@Component
public class MediaReports {

    private static final Logger log = LoggerFactory.getLogger(MediaReports.class);

    /** Where a connection's setup time falls: sub-second on a good network, many seconds through failing pairs. */
    private static final Duration[] CONNECT_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
            Duration.ofSeconds(60)};

    private final CallCommands commands;
    private final MeterRegistry meters;

    public MediaReports(CallCommands commands, MeterRegistry meters) {
        this.commands = commands;
        this.meters = meters;
    }

    public CompletableFuture<CallReportResult> connected(UserId participant, MediaReportRequests.Connected report,
                                                         MetaData audit) {
        ReportMediaConnectedCommand command = new ReportMediaConnectedCommand(CallId.of(report.callId()),
                participant, report.timeToConnectMs(), report.localCandidateType(), report.remoteCandidateType(),
                report.protocol());
        return commands.<CallReportResult>send(command, audit).thenApply(result -> {
            if (result.recorded()) {
                String local = report.localCandidateType().wireName();
                String remote = report.remoteCandidateType().wireName();
                String protocol = report.protocol().wireName();
                Counter.builder("calling.media.connected")
                        .description("Participants whose media connected, by the candidate pair they use")
                        .tags("local_candidate_type", local, "remote_candidate_type", remote, "protocol", protocol)
                        .register(meters).increment();
                Timer.builder("calling.media.time.to.connect")
                        .description("From a participant's answer to their media connecting")
                        .tag("relayed", String.valueOf(local.equals("relay") || remote.equals("relay")))
                        .serviceLevelObjectives(CONNECT_BUCKETS)
                        .register(meters).record(Duration.ofMillis(report.timeToConnectMs()));
                log.info("event=media_connected call={} participant={} time_to_connect_ms={} local_candidate={} "
                                + "remote_candidate={} protocol={}", result.callId(), participant,
                        report.timeToConnectMs(), local, remote, protocol);
            }
            return result;
        });
    }

    public CompletableFuture<CallReportResult> failed(UserId participant, MediaReportRequests.MediaFailed report,
                                                      MetaData audit) {
        ReportMediaFailedCommand command = new ReportMediaFailedCommand(CallId.of(report.callId()), participant,
                report.iceState(), report.reason());
        return commands.<CallReportResult>send(command, audit).thenApply(result -> {
            if (result.recorded()) {
                String reason = report.reason() == null ? "unspecified" : report.reason().wireName();
                Counter.builder("calling.media.failed")
                        .description("Participants whose media failed for good, by ICE state and reason")
                        .tags("ice_state", report.iceState().wireName(), "reason", reason)
                        .register(meters).increment();
                log.info("event=media_failed call={} participant={} ice_state={} reason={}", result.callId(),
                        participant, report.iceState().wireName(), reason);
            }
            return result;
        });
    }

    public CompletableFuture<CallReportResult> stats(UserId participant, MediaReportRequests.Stats report,
                                                     MetaData audit) {
        return commands.send(new ReportCallQualityCommand(CallId.of(report.callId()), participant, report.rttMs(),
                report.jitterMs(), report.audioLossPct(), report.videoLossPct(), report.avgBitrateKbps(),
                report.freezeCount()), audit);
    }
}
