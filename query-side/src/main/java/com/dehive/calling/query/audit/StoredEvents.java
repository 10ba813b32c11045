package com.dehive.calling.query.audit;

import com.dehive.calling.shared.audit.StoredEventView;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The raw documents of axon-mongo's event collection (one per event). Store order is (timestamp, aggregate,
 * sequence); a position encodes those three, so an export can resume exactly after an event.
 */
final class StoredEvents {

    static final String COLLECTION = "domainevents";
    static final String TIMESTAMP = "timestamp";
    static final String AGGREGATE = "aggregateIdentifier";
    static final String SEQUENCE = "sequenceNumber";
    static final String PAYLOAD = "serializedPayload";
    static final String PAYLOAD_TYPE = "payloadType";
    static final String REVISION = "payloadRevision";
    static final String METADATA = "serializedMetaData";
    static final String EVENT_ID = "eventIdentifier";

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredEvents() {
    }

    record Position(String timestamp, String aggregate, long sequence) {

        static Position decode(String encoded) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8)
                        .split("\\|", 3);
                return new Position(parts[0], parts[1], Long.parseLong(parts[2]));
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("not a position this service handed out", e);
            }
        }

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((timestamp + "|" + aggregate + "|" + sequence).getBytes(StandardCharsets.UTF_8));
        }
    }

    static Position positionOf(Document event) {
        return new Position(event.getString(TIMESTAMP), event.getString(AGGREGATE), sequenceOf(event));
    }

    static long sequenceOf(Document event) {
        return event.get(SEQUENCE, Number.class).longValue();
    }

    static StoredEventView view(Document event) {
        String payloadType = event.getString(PAYLOAD_TYPE);
        return new StoredEventView(positionOf(event).encode(), event.getString(EVENT_ID), event.getString(AGGREGATE),
                sequenceOf(event), payloadType.substring(payloadType.lastIndexOf('.') + 1), payloadType,
                event.getString(REVISION), event.getString(TIMESTAMP), json(event, PAYLOAD), json(event, METADATA));
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
