package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.listener.ExceptionListenerAdapter;
import com.dehive.calling.gateway.web.Failure;
import com.dehive.calling.shared.ErrorCode;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** What netty-socketio could not hand to a listener: told to the client, logged without the payload. */
class SocketExceptionListener extends ExceptionListenerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SocketExceptionListener.class);

    @Override
    public void onEventException(Exception e, List<Object> args, SocketIOClient client) {
        log.warn("event=socket_event_unhandled socket={} error={}", client.getSessionId(), e.toString());
        SocketReplies.fail(client, null, Failure.of(ErrorCode.INVALID_FORMAT, "The message could not be read"));
    }

    @Override
    public void onAuthException(Throwable e, SocketIOClient client) {
        log.warn("event=socket_auth_error socket={} error={}", client.getSessionId(), e.toString());
    }

    @Override
    public boolean exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
        log.warn("event=socket_channel_error error={}", e.toString());
        return true;
    }
}
