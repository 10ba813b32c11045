package com.dehive.calling.eventstore.audit;

import com.dehive.calling.eventstore.engine.EventDocuments;
import com.dehive.calling.shared.audit.StoredEventView;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Stored events as auditors see them: exactly as kept, each with the position an export resumes after.
 *
 * <p>A position handed out is the event's stream position in decimal. Exports before positions existed handed out
 * an opaque base64 "timestamp|call|sequence", which still resumes after that event.
 */
final class StoredEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredEvents() {
    }

    /** A position a client sent back: a stream position, or the (call, sequence) of an older export's. */
    sealed interface After {
        record Position(long position) implements After {
        }

        record CallEvent(String callId, long sequence) implements After {
        }

        static After decode(String encoded) {
            if (encoded.chars().allMatch(Character::isDigit) && !encoded.isEmpty() && encoded.length() < 19) {
                return new Position(Long.parseLong(encoded));
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8)
                        .split("\\|", 3);
                return new CallEvent(parts[1], Long.parseLong(parts[2]));
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("not a position this service handed out", e);
            }
        }
    }

    static StoredEventView view(Document commit, EventDocuments.StoredEvent event) {
        Document fields = event.fields();
        String payloadType = fields.getString(EventDocuments.PAYLOAD_TYPE);
        return new StoredEventView(Long.toString(event.position()), fields.getString(EventDocuments.EVENT_ID),
                commit.getString(EventDocuments.AGGREGATE), EventDocuments.sequenceOf(fields),
                payloadType.substring(payloadType.lastIndexOf('.') + 1), payloadType,
                fields.getString(EventDocuments.REVISION), fields.getString(EventDocuments.TIMESTAMP),
                json(fields, EventDocuments.PAYLOAD), json(fields, EventDocuments.METADATA));
    }

    /** Stored as a JSON string by the Jackson serializer; anything else is shown as it is. */
    private static JsonNode json(Document event, String field) {
        Object value = event.get(field);
        try {
            return value instanceof String text ? JSON.readTree(text) : JSON.valueToTree(value);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(String.valueOf(value));
        }
    }

    static String text(Document event, String field) {
        Object value = event.get(field);
        return value instanceof String text ? text : value instanceof Document document ? document.toJson() : null;
    }
}
