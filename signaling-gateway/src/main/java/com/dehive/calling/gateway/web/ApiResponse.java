package com.dehive.calling.gateway.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The body of every successful REST answer: {@code {success, statusCode, message, data}}. */
@JsonPropertyOrder({"success", "statusCode", "message", "data"})
public record ApiResponse<T>(boolean success, int statusCode, String message, T data) {

    public static <T> ApiResponse<T> ok(String message, T data) {
        return new ApiResponse<>(true, 200, message, data);
    }
}
