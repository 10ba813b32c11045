package com.dehive.calling.shared.deadletter;

/** The events parked in the dead-letter queues, of one processor or of all (null); a list of {@link DeadLetterView}. */
public record FindDeadLettersQuery(String processor) {
}
