package com.dehive.calling.shared.deadletter;

/** Hands every dead letter of the processor to its handlers again now; answered with a {@link DeadLetterRetryView}. */
public record RetryDeadLettersCommand(String processor) {
}
