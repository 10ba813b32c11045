package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.SocketIOClient;
import com.dehive.calling.gateway.web.Failure;
import com.dehive.calling.shared.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a socket hears back: an {@code error {message, code, details?, timestamp}} event for every failure (the
 * original clients listen for events), and the acknowledgement {@code {ok, data}} / {@code {ok:false, error}} when
 * the client asked for one.
 */
final class SocketReplies {

    private static final Logger log = LoggerFactory.getLogger(SocketReplies.class);

    private SocketReplies() {
    }

    static void ok(AckRequest ack, Object data) {
        if (ack != null && ack.isAckRequested()) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ok", true);
            answer.put("data", data);
            ack.sendAckData(answer);
        }
    }

    /** A failed event: a payload to fix, a refusal by the call's rules, or an internal error (logged). */
    static void fail(SocketIOClient client, AckRequest ack, Throwable failure) {
        fail(client, ack, describe(failure));
    }

    static void fail(SocketIOClient client, AckRequest ack, Failure failure) {
        String details = failure.detail() != null && !failure.detail().equals(failure.message())
                ? failure.detail() : null;
        client.sendEvent("error", new ServerEvents.ErrorEvent(failure.message(), failure.code().name(), details,
                Instant.now()));
        if (ack != null && ack.isAckRequested()) {
            ack.sendAckData(Map.of("ok", false,
                    "error", Map.of("code", failure.code().name(), "message", failure.message())));
        }
    }

    private static Failure describe(Throwable failure) {
        Throwable cause = Failure.unwrap(failure);
        if (cause instanceof SocketPayloads.Rejected rejected) {
            return rejected.failure();
        }
        Failure described = Failure.describe(cause);
        if (described.code() == ErrorCode.INTERNAL) {
            log.error("event=socket_event_failed", cause);
        }
        return described;
    }
}
