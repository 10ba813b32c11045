package com.dehive.calling.shared.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tamper-evident hash of a stored event: SHA-256 (hex) of the canonical JSON
 * {@code {"metadata":…,"payload":…,"sequence":n,"timestamp":"…","type":"…"}}, object keys sorted at every depth,
 * no white space, the metadata without {@link AuditMetaData#HASH} itself. It is computed from the payload and
 * metadata exactly as stored, so the writer and an auditor reading the raw store agree.
 */
public final class EventHash {

    /** The {@code prev_hash} of a call's first event. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventHash() {
    }

    /**
     * @param payloadJson  the event payload as stored (serialized JSON)
     * @param metadataJson the event metadata as stored (serialized JSON object); a {@code hash} entry is ignored
     */
    public static String of(String type, long sequence, String timestamp, String payloadJson, String metadataJson) {
        try {
            ObjectNode metadata = (ObjectNode) JSON.readTree(metadataJson);
            metadata.remove(AuditMetaData.HASH);
            ObjectNode canonical = JsonNodeFactory.instance.objectNode();
            canonical.set("metadata", sorted(metadata));
            canonical.set("payload", sorted(JSON.readTree(payloadJson)));
            canonical.put("sequence", sequence);
            canonical.put("timestamp", timestamp);
            canonical.put("type", type);
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(JSON.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("the event's payload or metadata is not a JSON object", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                fields.put(entry.getKey(), sorted(entry.getValue()));
            }
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            fields.forEach(result::set);
            return result;
        }
        if (node.isArray()) {
            ArrayNode result = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> result.add(sorted(element)));
            return result;
        }
        return node;
    }
}
