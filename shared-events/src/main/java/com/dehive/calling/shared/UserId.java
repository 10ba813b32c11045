package com.dehive.calling.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.regex.Pattern;

/** An opaque user id: 1 to 64 characters of {@code [A-Za-z0-9_-]} (24-hex Mongo ObjectIds are the common case). */
public record UserId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public UserId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new CallingException(ErrorCode.VALIDATION_FAILED,
                    "user id must be 1 to 64 characters of [A-Za-z0-9_-]");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static UserId of(String value) {
        return new UserId(value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
