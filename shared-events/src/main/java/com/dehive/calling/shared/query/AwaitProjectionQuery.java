package com.dehive.calling.shared.query;

/**
 * Completes once the named projection has handled every event up to {@code position} (null: every event the
 * answering node had stored when the query was asked, so every event of the commands it handled), at least in the
 * part of the stream that holds {@code callId}'s events (null: all of it); answered {@code true}, or {@code false}
 * when it did not get there within the service's bound. Sent by the edges before they answer a command, so that the
 * caller's next read shows what the command did.
 */
public record AwaitProjectionQuery(String projection, String callId, Long position) {
}
