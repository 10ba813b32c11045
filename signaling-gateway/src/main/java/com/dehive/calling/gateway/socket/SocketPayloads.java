package com.dehive.calling.gateway.socket;

import com.dehive.calling.gateway.web.Failure;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.util.Set;

/**
 * Reads what a socket sent: an object, or the same object as a JSON string. Bounds its size, binds it to the same
 * request records the REST API uses, with the same strict types and validation.
 */
public class SocketPayloads {

    /** Raised for a payload the client must fix; carries what to tell it. */
    public static class Rejected extends RuntimeException {
        private final transient Failure failure;

        public Rejected(Failure failure) {
            super(failure.detail(), null, false, false);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    private final ObjectMapper json;
    private final Validator validator;
    private final int maxPayloadBytes;

    public SocketPayloads(ObjectMapper json, Validator validator, int maxPayloadBytes) {
        this.json = json;
        this.validator = validator;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The payload as a JSON tree; a JSON string holding an object is unwrapped. */
    public JsonNode tree(JsonNode payload) {
        if (payload == null || payload.isNull() || payload.isMissingNode()) {
            throw new Rejected(Failure.of(ErrorCode.VALIDATION_FAILED, "A payload is required"));
        }
        if (payload.isTextual()) {
            String text = payload.textValue();
            requireSize(text.length());
            try {
                return json.readTree(text);
            } catch (JsonProcessingException e) {
                throw new Rejected(new Failure(ErrorCode.INVALID_FORMAT, "The payload is not valid JSON",
                        "The payload could not be parsed as JSON"));
            }
        }
        requireSize(sizeOf(payload));
        return payload;
    }

    public <T> T read(JsonNode payload, Class<T> type) {
        JsonNode tree = tree(payload);
        if (!tree.isObject()) {
            throw new Rejected(Failure.of(ErrorCode.VALIDATION_FAILED, "The payload must be an object"));
        }
        T value;
        try {
            value = json.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new Rejected(Failure.ofJson(e));
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof CallingException calling) {
                throw new Rejected(Failure.of(calling.code(), calling.getMessage()));
            }
            throw new Rejected(Failure.of(ErrorCode.VALIDATION_FAILED, "The payload has the wrong shape"));
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new Rejected(Failure.ofViolations(violations));
        }
        return value;
    }

    /** Bounds a payload that is relayed as it is. */
    public void requireSize(JsonNode payload) {
        requireSize(payload.isTextual() ? payload.textValue().length() : sizeOf(payload));
    }

    private void requireSize(int bytes) {
        if (bytes > maxPayloadBytes) {
            throw new Rejected(Failure.of(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The payload is larger than " + maxPayloadBytes / 1024 + " KiB"));
        }
    }

    private int sizeOf(JsonNode payload) {
        return (int) Math.min(Integer.MAX_VALUE, JsonSize.of(payload, maxPayloadBytes));
    }
}
