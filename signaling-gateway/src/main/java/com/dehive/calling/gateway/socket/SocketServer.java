package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.AckMode;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.SocketIONamespace;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.cors.CorsConfiguration;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * netty-socketio on its own port ({@code SOCKET_IO_PORT}), namespace {@code /rtc}, started and stopped with the
 * Spring context. Websocket compression is off (it costs about ten times the throughput); acknowledgements are
 * answered by the listeners themselves, once the command they dispatched has completed. CORS for the polling
 * transport is {@link SocketCors}'s.
 */
class SocketServer implements SmartLifecycle {

    static final String NAMESPACE = "/rtc";
    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);

    private final SocketProperties properties;
    private final List<SocketListeners> listeners;
    private final SocketClients clients;
    private final SocketCors cors;
    private volatile SocketIOServer server;

    SocketServer(SocketProperties properties, List<SocketListeners> listeners, SocketClients clients,
                 CorsConfiguration cors) {
        this.properties = properties;
        this.listeners = listeners;
        this.clients = clients;
        this.cors = new SocketCors(cors);
    }

    @Override
    public void start() {
        Configuration configuration = new Configuration();
        configuration.setHostname(properties.host());
        configuration.setPort(properties.port());
        configuration.setContext("/socket.io");
        configuration.setTransports(Transport.WEBSOCKET, Transport.POLLING);
        configuration.setWebsocketCompression(false);
        configuration.setHttpCompression(false);
        configuration.setAckMode(AckMode.MANUAL);
        configuration.setMaxFramePayloadLength(properties.maxFrameBytes());
        configuration.setMaxHttpContentLength(properties.maxFrameBytes());
        configuration.setRandomSession(true);
        configuration.setEnableCors(false);
        configuration.setWorkerThreads(ioThreads());
        SocketConfig socket = new SocketConfig();
        socket.setReuseAddress(true);
        socket.setTcpNoDelay(true);
        configuration.setSocketConfig(socket);
        configuration.setExceptionListener(new SocketExceptionListener());
        configuration.setJsonSupport(new SocketJson());

        SocketIOServer started = new QuicklyStoppedServer(configuration);
        started.setPipelineFactory(new SocketIOChannelInitializer() {
            @Override
            protected void addSocketioHandlers(ChannelPipeline pipeline) {
                super.addSocketioHandlers(pipeline);
                // after the HTTP codec: sees whole requests, and responses before they are encoded
                pipeline.addAfter(HTTP_ENCODER, "cors", cors);
            }
        });
        SocketIONamespace rtc = started.addNamespace(NAMESPACE);
        listeners.forEach(group -> group.register(rtc));
        clients.attach(rtc);
        try {
            started.start();
        } catch (Exception e) { // Netty rethrows a failed bind's BindException unchecked
            // its I/O threads run from before the bind: left running, they would keep the JVM from exiting
            try {
                started.stop();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        server = started;
        log.info("event=socket_server_started host={} port={} namespace={} io_threads={}", properties.host(),
                properties.port(), NAMESPACE, configuration.getWorkerThreads());
    }

    /**
     * One I/O thread per core, not Netty's default of two: relaying is CPU work on these threads, and a second thread
     * per core only added hand-offs between threads and context switches. On 2 cores the bench relayed more messages
     * per second with 2 threads than with 4 (docs/benchmarks.md, figure 1), and set up calls as fast. At
     * least two, because commands still wait for the store on these threads: with one, every socket would wait too.
     */
    private int ioThreads() {
        if (properties.ioThreads() > 0) {
            return properties.ioThreads();
        }
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void stop() {
        SocketIOServer running = server;
        if (running != null) {
            running.stop();
            server = null;
            log.info("event=socket_server_stopped");
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** After Axon's processors, so that commands can be handled when the first socket speaks. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200;
    }

    /**
     * netty-socketio stops its event loops with Netty's default graceful shutdown, which waits until each group has
     * been idle for two seconds, one group after the other: a stop took two to four seconds, once per Spring context
     * (enough, over the contexts of the integration tests, for Surefire to kill their JVM). The sockets are closed
     * at stop whatever the wait, so the loops end once their queued work is done, within Netty's usual timeout.
     */
    private static final class QuicklyStoppedServer extends SocketIOServer {

        private volatile EventLoopGroup boss;
        private volatile EventLoopGroup workers;

        QuicklyStoppedServer(Configuration configuration) {
            super(configuration);
        }

        /** Called once the bootstrap has the server's event loops, which netty-socketio keeps to itself. */
        @Override
        protected void applyConnectionOptions(ServerBootstrap bootstrap) {
            super.applyConnectionOptions(bootstrap);
            boss = bootstrap.config().group();
            workers = bootstrap.config().childGroup();
        }

        @Override
        public void stop() {
            for (EventLoopGroup group : new EventLoopGroup[] {boss, workers}) {
                if (group != null) {
                    group.shutdownGracefully(0, 15, TimeUnit.SECONDS);
                }
            }
            super.stop();
        }
    }
}
