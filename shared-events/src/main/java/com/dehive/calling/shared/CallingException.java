package com.dehive.calling.shared;

/** A refusal the caller can act on, carrying its protocol error code. */
public class CallingException extends RuntimeException {

    private final ErrorCode code;

    public CallingException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public CallingException(ErrorCode code) {
        this(code, code.defaultMessage());
    }

    public ErrorCode code() {
        return code;
    }
}
