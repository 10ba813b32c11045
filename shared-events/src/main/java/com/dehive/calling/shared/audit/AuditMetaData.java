package com.dehive.calling.shared.audit;

/**
 * The metadata keys every stored event carries for auditors. The edge that takes a client's request puts the
 * actor keys on the command; Axon copies them onto the events the command causes. None of it is secret.
 */
public final class AuditMetaData {

    /** The authenticated user who caused the event; absent when the service itself did (a timeout). */
    public static final String ACTOR_ID = "actor_id";
    /** How that user proved who they are: {@code dev}, {@code jwt} or {@code session}. */
    public static final String AUTH_METHOD = "auth_method";
    /** {@code rest} or {@code socket}. */
    public static final String CHANNEL = "channel";
    public static final String CLIENT_ADDRESS = "client_address";
    /** The socket a command came through; lets the answer reach that socket (and only it, where that matters). */
    public static final String SOCKET_ID = "socket_id";
    /** The service node that recorded the event. */
    public static final String NODE_ID = "node_id";
    /** Axon's correlation id: the id of the command that caused the event. */
    public static final String CORRELATION_ID = "correlationId";
    /** The hash of the call's previous event ({@link EventHash#GENESIS} for the first). */
    public static final String PREV_HASH = "prev_hash";
    /** This event's hash, over its canonical form including {@link #PREV_HASH}. */
    public static final String HASH = "hash";

    private AuditMetaData() {
    }
}
