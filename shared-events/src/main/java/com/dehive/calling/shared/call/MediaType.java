package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

public enum MediaType {
    AUDIO, VIDEO, SCREEN_SHARE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static MediaType fromWire(String value) {
        for (MediaType type : values()) {
            if (type.wireName().equals(value)) {
                return type;
            }
        }
        throw new CallingException(ErrorCode.VALIDATION_FAILED,
                "media_type must be one of audio, video, screen_share");
    }
}
