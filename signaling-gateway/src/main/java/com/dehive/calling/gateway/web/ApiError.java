package com.dehive.calling.gateway.web;

import com.dehive.calling.shared.ErrorCode;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;

/**
 * The body of every failed REST answer. {@code statusCode} is the real HTTP status, {@code code} one of the
 * protocol's error codes, {@code error} a human-readable detail, {@code data} always null.
 */
@JsonPropertyOrder({"success", "statusCode", "message", "code", "error", "timestamp", "path", "data"})
public record ApiError(boolean success, int statusCode, String message, ErrorCode code, String error,
                       Instant timestamp, String path, Object data) {

    public static ApiError of(ErrorCode code, int status, String message, String detail, String path) {
        return new ApiError(false, status, message, code, detail, Instant.now(), path, null);
    }

    public static ApiError of(ErrorCode code, String message, String detail, String path) {
        return of(code, code.httpStatus(), message, detail, path);
    }
}
