package com.dehive.calling.shared;

/**
 * The one error vocabulary of the service (PROTOCOL.md), each with the HTTP status it answers with.
 * REST maps it to the status, Socket.IO sends the code in an {@code error} event.
 */
public enum ErrorCode {
    INVALID_FORMAT(400, "The payload could not be parsed"),
    VALIDATION_FAILED(400, "The request is invalid"),
    AUTHENTICATION_REQUIRED(401, "A valid credential is required"),
    IDENTITY_MISMATCH(403, "The identity does not match the authenticated user"),
    FORBIDDEN(403, "You are not allowed to do this"),
    NOT_FOUND(404, "No such endpoint"),
    USER_NOT_FOUND(404, "User not found"),
    CALL_NOT_FOUND(404, "Call not found"),
    NOT_A_PARTICIPANT(403, "You are not a participant of this call"),
    INVALID_CALL_STATE(409, "The call's state does not allow this"),
    ALREADY_IN_CALL(409, "You are already in a call"),
    SELF_CALL(400, "You cannot call yourself"),
    REPLAY_IN_PROGRESS(409, "A rebuild of this projection is already running"),
    REPAIR_IN_PROGRESS(409, "A consistency repair is already running"),
    RATE_LIMITED(429, "Too many requests"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    INTERNAL(500, "Internal error"),
    /** The event store could not record the change in time; nothing of it was stored, so it is safe to retry. */
    STORE_BUSY(503, "The service is busy; try again shortly"),
    /** The service that validates sessions did not answer. */
    AUTH_SERVICE_UNAVAILABLE(503, "The session service is unavailable; try again shortly");

    private final int httpStatus;
    private final String defaultMessage;

    ErrorCode(int httpStatus, String defaultMessage) {
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
