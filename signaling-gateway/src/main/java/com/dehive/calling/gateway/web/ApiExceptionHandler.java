package com.dehive.calling.gateway.web;

import com.dehive.calling.gateway.ratelimit.RateLimitedException;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
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

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/** Maps every failure, once, to its HTTP status and protocol error code. */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE_CASE =
            new PropertyNamingStrategies.SnakeCaseStrategy();

    @ExceptionHandler(Throwable.class)
    ResponseEntity<ApiError> handle(Throwable thrown, HttpServletRequest request) {
        ApiError error = toError(unwrap(thrown), request.getRequestURI());
        if (error.code() == ErrorCode.INTERNAL) {
            log.error("event=request_failed path={}", request.getRequestURI(), thrown);
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(error.statusCode());
        if (unwrap(thrown) instanceof RateLimitedException limited) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(limited.retryAfterSeconds()));
        }
        return response.body(error);
    }

    private static ApiError toError(Throwable failure, String path) {
        if (failure instanceof CallingException calling) {
            return ApiError.of(calling.code(), calling.getMessage(), calling.getMessage(), path);
        }
        if (failure instanceof AggregateNotFoundException) {
            return ApiError.of(ErrorCode.CALL_NOT_FOUND, "Call not found", "No call has that call_id", path);
        }
        if (failure instanceof ConcurrencyException) {
            return ApiError.of(ErrorCode.INVALID_CALL_STATE, "The call changed meanwhile",
                    "Another change to this call was recorded first; read it again and retry", path);
        }
        if (failure instanceof CommandExecutionException remote) {
            return remote.getDetails().filter(ErrorCode.class::isInstance).map(ErrorCode.class::cast)
                    .map(code -> ApiError.of(code, remote.getMessage(), remote.getMessage(), path))
                    .orElseGet(() -> internal(path));
        }
        if (failure instanceof HttpMessageNotReadableException unreadable) {
            return unreadable(unreadable, path);
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
        return internal(path);
    }

    private static ApiError unreadable(HttpMessageNotReadableException unreadable, String path) {
        Throwable cause = unreadable.getCause();
        if (cause instanceof JsonMappingException mapping) {
            if (rootCause(mapping) instanceof CallingException calling) {
                return ApiError.of(calling.code(), calling.getMessage(),
                        fieldOf(mapping) + ": " + calling.getMessage(), path);
            }
            if (cause instanceof DatabindException) {
                return ApiError.of(ErrorCode.VALIDATION_FAILED, "Validation failed",
                        fieldOf(mapping) + ": has the wrong type", path);
            }
        }
        if (cause instanceof JsonProcessingException) {
            return ApiError.of(ErrorCode.INVALID_FORMAT, "The body is not valid JSON",
                    "The request body could not be parsed as JSON", path);
        }
        return ApiError.of(ErrorCode.INVALID_FORMAT, "A JSON body is required",
                "The request body is missing or unreadable", path);
    }

    private static ApiError internal(String path) {
        return ApiError.of(ErrorCode.INTERNAL, "Internal error", "Something went wrong on our side", path);
    }

    private static String fieldOf(JsonMappingException mapping) {
        return mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String describe(FieldError error) {
        return SNAKE_CASE.translate(error.getField()) + ": " + error.getDefaultMessage();
    }

    private static String simpleType(Class<?> type) {
        return type == null ? "value of another type" : type.getSimpleName().toLowerCase();
    }

    private static Throwable rootCause(Throwable thrown) {
        Throwable cause = thrown;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    static Throwable unwrap(Throwable thrown) {
        Throwable failure = thrown;
        while ((failure instanceof CompletionException || failure instanceof ExecutionException)
                && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }
}
