package com.dehive.calling.gateway.telemetry;

import com.dehive.calling.gateway.socket.SocketPayloads;
import com.dehive.calling.gateway.web.StrictJsonConfig;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.call.CandidateType;
import com.dehive.calling.shared.call.IceState;
import com.dehive.calling.shared.call.TransportProtocol;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.Validation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every rule a media report's fields must meet: each broken one is refused with {@code VALIDATION_FAILED} naming the
 * field. Read as a socket payload is, with the service's strict JSON and its Bean Validation (REST binds the same
 * records with the same mapper and validator).
 */
class MediaReportRequestsTest {

    private static final String CONNECTED = """
            {"call_id": "c-1", "time_to_connect_ms": 850, "local_candidate_type": "relay",
             "remote_candidate_type": "srflx", "protocol": "udp"}""";
    private static final String FAILED = """
            {"call_id": "c-1", "ice_state": "failed", "reason": "ice_failed"}""";
    private static final String STATS = """
            {"call_id": "c-1", "rtt_ms": 42.5, "jitter_ms": 3.1, "audio_loss_pct": 0.4, "video_loss_pct": 1.2,
             "avg_bitrate_kbps": 1450, "freeze_count": 2}""";
    private static final ObjectMapper JSON = Jackson2ObjectMapperBuilder.json()
            .featuresToDisable(MapperFeature.ALLOW_COERCION_OF_SCALARS) // as application.yml says
            .postConfigurer(StrictJsonConfig::strict)
            .build();

    private final SocketPayloads payloads = new SocketPayloads(JSON,
            Validation.buildDefaultValidatorFactory().getValidator(), 65536);

    @Test
    void a_connection_report_is_read_with_its_candidate_pair() {
        MediaReportRequests.Connected report = payloads.read(tree(CONNECTED), MediaReportRequests.Connected.class);

        assertThat(report).isEqualTo(new MediaReportRequests.Connected("c-1", 850L, CandidateType.RELAY,
                CandidateType.SRFLX, TransportProtocol.UDP));
    }

    @Test
    void a_media_failure_may_leave_out_its_reason() {
        MediaReportRequests.MediaFailed report = payloads.read(with(FAILED, "reason", null),
                MediaReportRequests.MediaFailed.class);

        assertThat(report).isEqualTo(new MediaReportRequests.MediaFailed("c-1", IceState.FAILED, null));
    }

    @Test
    void a_sample_may_leave_out_the_loss_of_a_medium_it_does_not_receive() {
        MediaReportRequests.Stats report = payloads.read(with(STATS, "video_loss_pct", null),
                MediaReportRequests.Stats.class);

        assertThat(report).isEqualTo(new MediaReportRequests.Stats("c-1", 42.5, 3.1, 0.4, null, 1450.0, 2L));
    }

    @Test
    void fields_beyond_the_summary_such_as_a_candidate_with_its_address_are_dropped() {
        ObjectNode payload = (ObjectNode) tree(CONNECTED);
        payload.put("candidate", "candidate:1 1 udp 2122260223 192.0.2.10 54321 typ host");
        payload.put("sdp", "v=0\r\nc=IN IP4 192.0.2.10\r\n");

        MediaReportRequests.Connected report = payloads.read(payload, MediaReportRequests.Connected.class);

        assertThat(report.toString()).doesNotContain("192.0.2.10");
    }

    static Stream<Arguments> brokenFields() {
        return Stream.of(
                broken("a connection without a call id", CONNECTED, "call_id", null),
                broken("a call id that is no id", CONNECTED, "call_id", "\"a b\""),
                broken("a connection without its time", CONNECTED, "time_to_connect_ms", null),
                broken("a negative time to connect", CONNECTED, "time_to_connect_ms", "-1"),
                broken("a time to connect over ten minutes", CONNECTED, "time_to_connect_ms", "600001"),
                broken("a time to connect as a string", CONNECTED, "time_to_connect_ms", "\"850\""),
                broken("a time to connect with a fraction", CONNECTED, "time_to_connect_ms", "850.5"),
                broken("a connection without its local candidate type", CONNECTED, "local_candidate_type", null),
                broken("a local candidate type not in the list", CONNECTED, "local_candidate_type", "\"turn\""),
                broken("a local candidate type as a number", CONNECTED, "local_candidate_type", "3"),
                broken("a connection without its remote candidate type", CONNECTED, "remote_candidate_type", null),
                broken("a remote candidate type in capitals", CONNECTED, "remote_candidate_type", "\"RELAY\""),
                broken("a connection without its protocol", CONNECTED, "protocol", null),
                broken("a protocol not in the list", CONNECTED, "protocol", "\"quic\""),
                broken("a failure without a call id", FAILED, "call_id", null),
                broken("a failure without its ice state", FAILED, "ice_state", null),
                broken("an ice state not in the list", FAILED, "ice_state", "\"broken\""),
                broken("an ice state in capitals", FAILED, "ice_state", "\"FAILED\""),
                broken("a reason not in the list", FAILED, "reason", "\"cosmic_rays\""),
                broken("a reason as a number", FAILED, "reason", "5"),
                broken("a sample without a call id", STATS, "call_id", null),
                broken("a sample without its round trip", STATS, "rtt_ms", null),
                broken("a negative round trip", STATS, "rtt_ms", "-0.1"),
                broken("a round trip over a minute", STATS, "rtt_ms", "60000.5"),
                broken("a round trip as a string", STATS, "rtt_ms", "\"42\""),
                broken("a sample without its jitter", STATS, "jitter_ms", null),
                broken("a negative jitter", STATS, "jitter_ms", "-1"),
                broken("a jitter over a minute", STATS, "jitter_ms", "60001"),
                broken("an audio loss over 100 %", STATS, "audio_loss_pct", "100.1"),
                broken("a negative audio loss", STATS, "audio_loss_pct", "-0.1"),
                broken("an audio loss as a boolean", STATS, "audio_loss_pct", "true"),
                broken("a video loss over 100 %", STATS, "video_loss_pct", "101"),
                broken("a negative video loss", STATS, "video_loss_pct", "-5"),
                broken("a sample without its bitrate", STATS, "avg_bitrate_kbps", null),
                broken("a negative bitrate", STATS, "avg_bitrate_kbps", "-1"),
                broken("a bitrate over a gigabit", STATS, "avg_bitrate_kbps", "1000001"),
                broken("a sample without its freezes", STATS, "freeze_count", null),
                broken("a negative freeze count", STATS, "freeze_count", "-1"),
                broken("a freeze count over a million", STATS, "freeze_count", "1000001"),
                broken("a freeze count with a fraction", STATS, "freeze_count", "2.5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFields")
    void a_broken_field_is_refused_naming_it(String rule, String report, String field, String value) {
        Class<?> type = report.equals(CONNECTED) ? MediaReportRequests.Connected.class
                : report.equals(FAILED) ? MediaReportRequests.MediaFailed.class : MediaReportRequests.Stats.class;

        SocketPayloads.Rejected rejected = catchThrowableOfType(SocketPayloads.Rejected.class,
                () -> payloads.read(with(report, field, value), type));

        assertThat(rejected).as(rule).isNotNull();
        assertThat(rejected.failure().code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(rejected.failure().detail()).startsWith(field + ": ");
    }

    private static Arguments broken(String rule, String report, String field, String value) {
        return Arguments.of(rule, report, field, value);
    }

    /** The report with the field set to a JSON value, or left out for null. */
    private static JsonNode with(String report, String field, String value) {
        ObjectNode payload = (ObjectNode) tree(report);
        if (value == null) {
            payload.remove(field);
        } else {
            payload.set(field, tree(value));
        }
        return payload;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
