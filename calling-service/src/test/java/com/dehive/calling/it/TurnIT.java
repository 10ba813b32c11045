package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** TURN credentials that coturn's use-auth-secret accepts, only for authenticated users. */
class TurnIT extends ServiceIT {

    @Test
    void credentials_follow_the_turn_rest_api_scheme() throws Exception {
        CallingApi api = api();
        String alice = newUser("alice");
        JsonNode credential = api.get("/api/turn/credentials", api.token(alice)).data();

        String username = credential.get("username").asText();
        long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
        assertThat(username).endsWith(":" + alice);
        assertThat(expiry - Instant.now().getEpochSecond()).isBetween(86_390L, 86_400L);
        assertThat(credential.get("ttl").asLong()).isEqualTo(86_400);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("test-turn-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertThat(credential.get("credential").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8))));
        assertThat(credential.get("uris")).extracting(JsonNode::asText)
                .containsExactly("turn:localhost:3478", "turn:localhost:3478?transport=tcp");
    }

    @Test
    void ice_servers_list_stun_then_turn_with_credentials() {
        CallingApi api = api();
        JsonNode servers = api.get("/api/turn/ice-servers", api.token(newUser("bob"))).data().get("iceServers");
        assertThat(servers.get(0).get("urls").asText()).isEqualTo("stun:stun.l.google.com:19302");
        assertThat(servers.get(0).has("username")).isFalse();
        assertThat(servers.get(1).get("urls").asText()).isEqualTo("stun:stun1.l.google.com:19302");
        JsonNode turn = servers.get(2);
        assertThat(turn.get("urls")).extracting(JsonNode::asText)
                .containsExactly("turn:localhost:3478", "turn:localhost:3478?transport=tcp");
        assertThat(turn.get("username").asText()).isNotBlank();
        assertThat(turn.get("credential").asText()).isNotBlank();
    }

    @Test
    void nobody_gets_credentials_without_a_credential_of_their_own() {
        CallingApi api = api();
        assertThat(api.get("/api/turn/credentials", null).status()).isEqualTo(401);
        assertThat(api.get("/api/turn/ice-servers", null).status()).isEqualTo(401);
    }
}
