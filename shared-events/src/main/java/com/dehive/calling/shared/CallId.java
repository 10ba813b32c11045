package com.dehive.calling.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.UUID;
import java.util.regex.Pattern;

/** A call's id; {@link #toString()} is the raw value, which Axon uses as the aggregate identifier. */
public record CallId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public CallId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new CallingException(ErrorCode.VALIDATION_FAILED,
                    "call_id must be 1 to 64 characters of [A-Za-z0-9_-]");
        }
    }

    public static CallId newId() {
        return new CallId(UUID.randomUUID().toString());
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CallId of(String value) {
        return new CallId(value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
