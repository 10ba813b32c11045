package com.dehive.calling.shared.query;

/**
 * The names of the event processors, as their processing groups, admin endpoints and metrics call them: the three
 * projections every node shares, and the socket notifier each node runs for its own sockets.
 */
public final class Processors {

    public static final String CALL_HISTORY = "call-history";
    public static final String CALL_ANALYTICS = "call-analytics";
    public static final String CONVERSATION_MESSAGES = "conversation-messages";
    public static final String SOCKET_NOTIFIER = "socket-notifier";

    private Processors() {
    }
}
