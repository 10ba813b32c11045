package com.dehive.calling.gateway.relay;

import com.dehive.calling.gateway.cluster.Fanout;
import com.dehive.calling.gateway.socket.ServerEvents;
import com.dehive.calling.gateway.socket.SocketPayloads;
import com.dehive.calling.gateway.web.Failure;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.UserId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Forwards offers, answers and ICE candidates between the two participants of a ringing or connected call,
 * verbatim (objects or strings, never re-shaped) and never stored: they hold IP addresses and have no replay value.
 */
public class Relay {

    /** A signaling message: its event name and the field that carries the SDP or candidate. */
    public enum Signal {
        OFFER("signalOffer", "offer"), ANSWER("signalAnswer", "answer"), ICE_CANDIDATE("iceCandidate", "candidate");

        private final String event;
        private final String field;

        Signal(String event, String field) {
            this.event = event;
            this.field = field;
        }

        public String event() {
            return event;
        }
    }

    private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ParticipationView view;
    private final Fanout fanout;
    private final SocketPayloads payloads;

    private final Map<Signal, Counter> relayed = new EnumMap<>(Signal.class);

    public Relay(ParticipationView view, Fanout fanout, SocketPayloads payloads, MeterRegistry meters) {
        for (Signal signal : Signal.values()) {
            relayed.put(signal, meters.counter("calling.signaling.relayed", "type", signal.event));
        }
        this.view = view;
        this.fanout = fanout;
        this.payloads = payloads;
    }

    /**
     * Checks the message now and delivers it when the call is known; completes exceptionally with the reason when
     * it may not be relayed.
     */
    public CompletableFuture<Void> relay(Signal signal, UserId sender, JsonNode payload) {
        JsonNode message = payloads.tree(payload);
        JsonNode callIdNode = message.get("call_id");
        if (callIdNode == null || !callIdNode.isTextual() || !CALL_ID.matcher(callIdNode.textValue()).matches()) {
            throw rejected(ErrorCode.VALIDATION_FAILED, "call_id: must be 1 to 64 characters of [A-Za-z0-9_-]");
        }
        JsonNode body = message.get(signal.field);
        if (body == null || !(body.isObject() || body.isTextual())) {
            throw rejected(ErrorCode.VALIDATION_FAILED, signal.field + ": must be an object or a string");
        }
        String callId = callIdNode.textValue();
        return view.find(callId).thenCompose(found -> {
            if (found.isEmpty()) {
                return view.exists(callId).thenAccept(exists -> {
                    throw exists ? new CallingException(ErrorCode.INVALID_CALL_STATE, "The call is over")
                            : new CallingException(ErrorCode.CALL_NOT_FOUND);
                });
            }
            Participation call = found.get();
            if (!call.hasParticipant(sender)) {
                throw new CallingException(ErrorCode.NOT_A_PARTICIPANT);
            }
            deliver(signal, call, sender, message, body);
            return CompletableFuture.completedFuture(null);
        });
    }

    private void deliver(Signal signal, Participation call, UserId sender, JsonNode message, JsonNode body) {
        JsonNode metadata = message.has("metadata") ? message.get("metadata") : NullNode.instance;
        Instant now = Instant.now();
        Object out = switch (signal) {
            case OFFER -> new ServerEvents.SignalOffer(call.callId(), body, metadata, sender.toString(), now);
            case ANSWER -> new ServerEvents.SignalAnswer(call.callId(), body, metadata, sender.toString(), now);
            case ICE_CANDIDATE -> new ServerEvents.IceCandidate(call.callId(), body,
                    message.has("sdpMLineIndex") ? message.get("sdpMLineIndex") : NullNode.instance,
                    message.has("sdpMid") ? message.get("sdpMid") : NullNode.instance, metadata,
                    sender.toString(), now);
        };
        relayed.get(signal).increment();
        UserId receiver = call.otherThan(sender);
        fanout.signal(receiver, receiver.equals(call.callee()) ? call.calleeSocket() : null, signal.event, out);
    }

    private static SocketPayloads.Rejected rejected(ErrorCode code, String message) {
        return new SocketPayloads.Rejected(Failure.of(code, message));
    }
}
