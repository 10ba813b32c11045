package com.dehive.calling.gateway.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class JsonSizeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "[]", "\"\"", "0", "-12.5e3", "true", "null",
            "{\"call_id\":\"abc\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 2122260223 10.0.0.1 54321 typ host\","
                    + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0},\"metadata\":null}",
            "{\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 46117 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\n\"}}",
            "{\"quote\":\"say \\\"hi\\\" \\\\ back\",\"control\":\"\\u0001\\u001f\\b\\f\\t\"}",
            "{\"accents\":\"héllo wörld\",\"cjk\":\"通话\",\"emoji\":\"📞☎\",\"nested\":[[1,2,[3]],{\"a\":[]}]}",
            "[1.0, 2.50, 100000000000000000000, 1e400, false]"
    })
    void counts_what_jackson_writes(String text) throws Exception {
        JsonNode tree = JSON.readTree(text);
        assertThat(JsonSize.of(tree, Long.MAX_VALUE)).isEqualTo(JSON.writeValueAsBytes(tree).length);
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 100, 1000})
    void stops_counting_soon_after_the_limit(int limit) throws Exception {
        JsonNode big = JSON.readTree("[" + "\"xxxxxxxxxx\",".repeat(100_000) + "1]");
        long counted = JsonSize.of(big, limit);
        assertThat(counted).isGreaterThan(limit).isLessThanOrEqualTo(limit + 13L);
    }
}
