package com.dehive.calling.gateway.web;

import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.validation.ConstraintViolation;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.Collection;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * A failure as clients are told of it: a protocol error code, a message and a detail. The one mapping from what
 * went wrong to what the client hears, used by REST and by sockets alike.
 */
public record Failure(ErrorCode code, String message, String detail) {

    public static Failure of(ErrorCode code, String message) {
        return new Failure(code, message, message);
    }

    /** Describes anything a command, a query or a payload parser may throw. */
    public static Failure describe(Throwable thrown) {
        Throwable failure = unwrap(thrown);
        if (failure instanceof CallingException calling) {
            return of(calling.code(), calling.getMessage());
        }
        if (failure instanceof AggregateNotFoundException) {
            return new Failure(ErrorCode.CALL_NOT_FOUND, "Call not found", "No call has that call_id");
        }
        if (failure instanceof ConcurrencyException) {
            return new Failure(ErrorCode.INVALID_CALL_STATE, "The call changed meanwhile",
                    "Another change to this call was recorded first; read it again and retry");
        }
        if (failure instanceof CommandExecutionException remote && remote.getDetails().isPresent()
                && remote.getDetails().get() instanceof ErrorCode code) {
            return of(code, remote.getMessage());
        }
        if (failure instanceof JsonProcessingException json) {
            return ofJson(json);
        }
        return new Failure(ErrorCode.INTERNAL, "Internal error", "Something went wrong on our side");
    }

    /** A body that is not JSON is INVALID_FORMAT; JSON of the wrong shape or type is VALIDATION_FAILED. */
    public static Failure ofJson(JsonProcessingException json) {
        if (json instanceof JsonMappingException mapping) {
            if (rootCause(mapping) instanceof CallingException calling) {
                return new Failure(calling.code(), calling.getMessage(), fieldOf(mapping) + ": " + calling.getMessage());
            }
            if (json instanceof DatabindException) {
                return new Failure(ErrorCode.VALIDATION_FAILED, "Validation failed",
                        fieldOf(mapping) + ": has the wrong type");
            }
        }
        return new Failure(ErrorCode.INVALID_FORMAT, "The payload is not valid JSON",
                "The payload could not be parsed as JSON");
    }

    public static Failure ofViolations(Collection<? extends ConstraintViolation<?>> violations) {
        String detail = violations.stream()
                .map(v -> Naming.snakeCase(v.getPropertyPath().toString()) + ": " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return new Failure(ErrorCode.VALIDATION_FAILED, "Validation failed", detail);
    }

    public static Throwable unwrap(Throwable thrown) {
        Throwable failure = thrown;
        while ((failure instanceof CompletionException || failure instanceof ExecutionException)
                && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    private static String fieldOf(JsonMappingException mapping) {
        String path = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "payload" : path;
    }

    private static Throwable rootCause(Throwable thrown) {
        Throwable cause = thrown;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
