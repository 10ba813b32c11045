package com.dehive.calling.gateway.socket;

import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a socket says in {@code identity}: a credential that authenticates it ({@code {session_id,
 * fingerprint_hashed?}} or {@code {token}}), or a user id ({@code "<user id>"} or {@code {userDehiveId}}), the
 * original clients' way of saying who they are. An object may come as the same object in a JSON string.
 */
sealed interface IdentityClaim {

    record Session(String sessionId, String fingerprint) implements IdentityClaim {
        @Override
        public String toString() {
            return "Session[credential withheld]";
        }
    }

    record Token(String token) implements IdentityClaim {
        @Override
        public String toString() {
            return "Token[credential withheld]";
        }
    }

    /** A user id, which proves nothing: it is accepted only for the user the socket already authenticated as. */
    record ClaimedUser(String userId) implements IdentityClaim {

        /** The socket's user, when that is who is claimed. */
        AuthenticatedUser confirmedBy(AuthenticatedUser authenticated) {
            if (authenticated == null) {
                throw new CallingException(ErrorCode.AUTHENTICATION_REQUIRED,
                        "Authenticate with a token (handshake auth or identity {token}) first");
            }
            if (!authenticated.id().toString().equals(userId)) {
                throw new CallingException(ErrorCode.IDENTITY_MISMATCH, "That is not the authenticated user");
            }
            return authenticated;
        }
    }

    static IdentityClaim read(JsonNode payload, SocketPayloads payloads) {
        JsonNode claim = payload;
        if (payload != null && payload.isTextual() && payload.textValue().trim().startsWith("{")) {
            claim = payloads.tree(payload);
        }
        if (claim != null && claim.isTextual()) {
            return new ClaimedUser(claim.textValue());
        }
        if (claim != null && claim.isObject()) {
            if (claim.hasNonNull("session_id")) {
                String fingerprint = claim.hasNonNull("fingerprint_hashed") ? claim.get("fingerprint_hashed").asText()
                        : null;
                return new Session(claim.get("session_id").asText(), fingerprint);
            }
            if (claim.hasNonNull("token")) {
                return new Token(claim.get("token").asText());
            }
            if (claim.hasNonNull("userDehiveId")) {
                return new ClaimedUser(claim.get("userDehiveId").asText());
            }
        }
        throw new CallingException(ErrorCode.VALIDATION_FAILED, "identity takes a user id, {userDehiveId}, or {token}");
    }
}
