package com.dehive.calling.gateway.web;

import com.dehive.calling.gateway.ratelimit.RateLimitedException;
import com.dehive.calling.shared.ErrorCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.util.stream.Collectors;

/** Maps every failure, once, to its HTTP status and protocol error code. */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(Throwable.class)
    ResponseEntity<ApiError> handle(Throwable thrown, HttpServletRequest request) {
        ApiError error = toError(Failure.unwrap(thrown), request.getRequestURI());
        if (error.code() == ErrorCode.INTERNAL) {
            log.error("event=request_failed path={}", request.getRequestURI(), thrown);
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(error.statusCode());
        if (Failure.unwrap(thrown) instanceof RateLimitedException limited) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(limited.retryAfterSeconds()));
        }
        return response.body(error);
    }

    private static ApiError toError(Throwable failure, String path) {
        if (failure instanceof HttpMessageNotReadableException unreadable) {
            if (unreadable.getCause() instanceof JsonProcessingException json) {
                return error(Failure.ofJson(json), path);
            }
            return ApiError.of(ErrorCode.INVALID_FORMAT, "A JSON body is required",
                    "The request body is missing or unreadable", path);
        }
        if (failure instanceof MethodArgumentNotValidException invalid) {
            String detail = invalid.getBindingResult().getFieldErrors().stream()
                    .map(ApiExceptionHandler::describe)
                    .collect(Collectors.joining("; "));
            return ApiError.of(ErrorCode.VALIDATION_FAILED, "Validation failed", detail, path);
        }
        if (failure instanceof HandlerMethodValidationException invalid) {
            String detail = invalid.getParameterValidationResults().stream()
                    .flatMap(result -> result.getResolvableErrors().stream()
                            .map(e -> result.getMethodParameter().getParameterName() + ": " + e.getDefaultMessage()))
                    .collect(Collectors.joining("; "));
            return ApiError.of(ErrorCode.VALIDATION_FAILED, "Validation failed", detail, path);
        }
        if (failure instanceof MethodArgumentTypeMismatchException mismatch) {
            return ApiError.of(ErrorCode.VALIDATION_FAILED, "Validation failed",
                    mismatch.getName() + ": must be a " + simpleType(mismatch.getRequiredType()), path);
        }
        if (failure instanceof ErrorResponse spring) {
            int status = spring.getStatusCode().value();
            ErrorCode code = status == 404 ? ErrorCode.NOT_FOUND : ErrorCode.VALIDATION_FAILED;
            String detail = spring.getBody().getDetail();
            return ApiError.of(code, status, detail == null ? code.defaultMessage() : detail, detail, path);
        }
        return error(Failure.describe(failure), path);
    }

    private static ApiError error(Failure failure, String path) {
        return ApiError.of(failure.code(), failure.message(), failure.detail(), path);
    }

    private static String describe(FieldError error) {
        return Naming.snakeCase(error.getField()) + ": " + error.getDefaultMessage();
    }

    private static String simpleType(Class<?> type) {
        return type == null ? "value of another type" : type.getSimpleName().toLowerCase();
    }

}
