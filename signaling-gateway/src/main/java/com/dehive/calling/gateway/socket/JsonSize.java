package com.dehive.calling.gateway.socket;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * How many bytes a JSON tree takes as compact UTF-8 JSON, as Jackson writes it, counted without writing it: the
 * relay bounds every message, and serializing each one just to measure it cost as much as relaying it. Counting
 * stops soon after the limit is passed.
 */
final class JsonSize {

    private JsonSize() {
    }

    /** The exact size, or some number above {@code limit} once the size is known to be above it. */
    static long of(JsonNode node, long limit) {
        return add(node, 0, limit);
    }

    private static long add(JsonNode node, long size, long limit) {
        if (size > limit) {
            return size;
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                size += 2; // { }
                boolean first = true;
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext() && size <= limit) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    size += (first ? 0 : 1) + string(field.getKey()) + 1; // , "name" :
                    size = add(field.getValue(), size, limit);
                    first = false;
                }
                return size;
            }
            case ARRAY -> {
                size += 2; // [ ]
                boolean first = true;
                for (Iterator<JsonNode> elements = node.elements(); elements.hasNext() && size <= limit; ) {
                    size = add(elements.next(), size + (first ? 0 : 1), limit);
                    first = false;
                }
                return size;
            }
            case STRING -> {
                return size + string(node.textValue());
            }
            case BINARY, POJO -> {
                return size + node.toString().length();
            }
            case NUMBER -> {
                // NaN and Infinity are written quoted
                boolean quoted = node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue());
                return size + node.asText().length() + (quoted ? 2 : 0);
            }
            default -> {
                return size + node.asText().length(); // booleans, null
            }
        }
    }

    /** A JSON string with its quotes, in UTF-8, escaped as Jackson escapes by default. */
    private static long string(String text) {
        long bytes = 2;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                bytes += 2;
            } else if (c < 0x20) {
                bytes += c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 2 : 6;
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                bytes += 6; // Jackson escapes each half of a surrogate pair, six bytes each
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
