package com.dehive.calling.gateway.socket;

import com.dehive.calling.gateway.auth.AuthMode;
import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityClaimTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SocketPayloads PAYLOADS = new SocketPayloads(JSON, null, 64 * 1024);
    private static final AuthenticatedUser ALICE = new AuthenticatedUser(
            new UserProfile(UserId.of("alice"), "alice", "Alice", null), Set.of(), AuthMode.JWT);

    @ParameterizedTest
    @ValueSource(strings = {"\"alice\"", "{\"userDehiveId\":\"alice\"}", "\"{\\\"userDehiveId\\\":\\\"alice\\\"}\""})
    void a_user_id_confirms_the_user_the_socket_authenticated_as(String payload) throws Exception {
        assertThat(claim(payload)).isEqualTo(new IdentityClaim.ClaimedUser("alice"));
        assertThat(((IdentityClaim.ClaimedUser) claim(payload)).confirmedBy(ALICE)).isEqualTo(ALICE);
    }

    @Test
    void another_users_id_is_an_identity_mismatch() throws Exception {
        IdentityClaim.ClaimedUser mallory = (IdentityClaim.ClaimedUser) claim("\"mallory\"");
        assertRefused(() -> mallory.confirmedBy(ALICE), ErrorCode.IDENTITY_MISMATCH);
    }

    @Test
    void a_user_id_alone_proves_nobody() throws Exception {
        IdentityClaim.ClaimedUser alice = (IdentityClaim.ClaimedUser) claim("\"alice\"");
        assertRefused(() -> alice.confirmedBy(null), ErrorCode.AUTHENTICATION_REQUIRED);
    }

    @Test
    void a_token_or_a_session_authenticates_the_socket_also_when_sent_as_a_json_string() throws Exception {
        assertThat(claim("{\"token\":\"t0k3n\"}")).isEqualTo(new IdentityClaim.Token("t0k3n"));
        assertThat(claim("\"{\\\"token\\\":\\\"t0k3n\\\"}\"")).isEqualTo(new IdentityClaim.Token("t0k3n"));
        assertThat(claim("{\"session_id\":\"s1\",\"fingerprint_hashed\":\"f1\"}"))
                .isEqualTo(new IdentityClaim.Session("s1", "f1"));
        assertThat(claim("{\"session_id\":\"s1\"}")).isEqualTo(new IdentityClaim.Session("s1", null));
    }

    @Test
    void credentials_never_show_in_logs() {
        assertThat(new IdentityClaim.Token("t0k3n").toString()).doesNotContain("t0k3n");
        assertThat(new IdentityClaim.Session("s1", "f1").toString()).doesNotContain("s1").doesNotContain("f1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "42", "{}", "{\"userDehiveId\":null}", "[\"alice\"]"})
    void anything_else_fails_validation(String payload) {
        assertRefused(() -> claim(payload), ErrorCode.VALIDATION_FAILED);
    }

    @Test
    void no_payload_fails_validation() {
        assertRefused(() -> IdentityClaim.read(null, PAYLOADS), ErrorCode.VALIDATION_FAILED);
    }

    @Test
    void a_json_string_that_is_not_json_is_invalid_format() {
        assertThatThrownBy(() -> IdentityClaim.read(TextNode.valueOf("{\"token\":"), PAYLOADS))
                .isInstanceOfSatisfying(SocketPayloads.Rejected.class,
                        e -> assertThat(e.failure().code()).isEqualTo(ErrorCode.INVALID_FORMAT));
    }

    private static void assertRefused(ThrowingCallable claiming, ErrorCode code) {
        assertThatThrownBy(claiming)
                .isInstanceOfSatisfying(CallingException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static IdentityClaim claim(String payload) throws Exception {
        JsonNode tree = JSON.readTree(payload);
        return IdentityClaim.read(tree, PAYLOADS);
    }
}
