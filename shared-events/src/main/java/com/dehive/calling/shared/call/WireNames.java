package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The wire names of the media reports' enums: their constants in lower case; any other value is refused. */
final class WireNames {

    private WireNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose wire name the value is; VALIDATION_FAILED naming the allowed values otherwise. */
    static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(value)) {
                return constant;
            }
        }
        throw new CallingException(ErrorCode.VALIDATION_FAILED, what + " must be one of "
                + Arrays.stream(type.getEnumConstants()).map(WireNames::of).collect(Collectors.joining(", ")));
    }
}
