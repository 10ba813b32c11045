package com.dehive.calling.shared.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventHashTest {

    private static final String PAYLOAD = "{\"callId\":\"c1\",\"caller\":{\"id\":\"a\",\"username\":null}}";
    private static final String METADATA = "{\"actor_id\":\"a\",\"prev_hash\":\"" + EventHash.GENESIS + "\"}";

    @Test
    void the_hash_ignores_key_order_white_space_and_its_own_entry() {
        String hash = EventHash.of("T", 0, "2026-11-23T10:00:00.000Z", PAYLOAD, METADATA);
        String reordered = EventHash.of("T", 0, "2026-11-23T10:00:00.000Z",
                "{ \"caller\" : {\"username\":null, \"id\":\"a\"}, \"callId\":\"c1\" }",
                "{\"prev_hash\":\"" + EventHash.GENESIS + "\",\"actor_id\":\"a\",\"hash\":\"whatever\"}");
        assertThat(reordered).isEqualTo(hash).hasSize(64);
    }

    @Test
    void changing_anything_hashed_changes_the_hash() {
        String hash = EventHash.of("T", 0, "2026-11-23T10:00:00.000Z", PAYLOAD, METADATA);
        assertThat(EventHash.of("U", 0, "2026-11-23T10:00:00.000Z", PAYLOAD, METADATA)).isNotEqualTo(hash);
        assertThat(EventHash.of("T", 1, "2026-11-23T10:00:00.000Z", PAYLOAD, METADATA)).isNotEqualTo(hash);
        assertThat(EventHash.of("T", 0, "2026-11-23T10:00:00.001Z", PAYLOAD, METADATA)).isNotEqualTo(hash);
        assertThat(EventHash.of("T", 0, "2026-11-23T10:00:00.000Z", PAYLOAD.replace("c1", "c2"), METADATA))
                .isNotEqualTo(hash);
        assertThat(EventHash.of("T", 0, "2026-11-23T10:00:00.000Z", PAYLOAD, METADATA.replace("\"a\"", "\"b\"")))
                .isNotEqualTo(hash);
    }
}
