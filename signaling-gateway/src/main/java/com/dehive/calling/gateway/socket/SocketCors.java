package com.dehive.calling.gateway.socket;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AttributeKey;
import org.springframework.web.cors.CorsConfiguration;

/**
 * CORS for the Socket.IO polling transport, decided by the REST API's configuration ({@code CORS_ALLOWED_ORIGINS}):
 * an allowed origin is told so ({@code *} or the origin echoed), without credentials; any other origin hears no
 * {@code Access-Control-*} header, so the browser keeps its page from reading the answer. netty-socketio's own CORS
 * is off: it echoes any {@code Origin} and always allows credentials. Browsers apply no CORS to websockets, which
 * are authenticated by their token wherever their page comes from.
 */
@ChannelHandler.Sharable
final class SocketCors extends ChannelDuplexHandler {

    /** The {@code Access-Control-Allow-Origin} owed to the request being answered on this channel, if any. */
    private static final AttributeKey<String> ALLOWED_ORIGIN = AttributeKey.valueOf("calling.cors.allowed-origin");

    private final CorsConfiguration cors;

    SocketCors(CorsConfiguration cors) {
        this.cors = cors;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request) {
            String origin = request.headers().get(HttpHeaderNames.ORIGIN);
            ctx.channel().attr(ALLOWED_ORIGIN).set(origin == null ? null : cors.checkOrigin(origin));
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response) {
            String allowed = ctx.channel().attr(ALLOWED_ORIGIN).get();
            if (allowed != null) {
                response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
                if (!allowed.equals(CorsConfiguration.ALL)) {
                    response.headers().add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
                }
            }
        }
        super.write(ctx, msg, promise);
    }
}
