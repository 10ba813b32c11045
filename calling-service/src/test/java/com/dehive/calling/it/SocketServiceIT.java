package com.dehive.calling.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** A {@link ServiceIT} whose tests also speak Socket.IO, through one node process of JS clients per class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SocketServiceIT extends ServiceIT {

    protected JsSockets sockets;

    @BeforeAll
    void startClients() {
        sockets = new JsSockets(socketPort);
    }

    @AfterAll
    void stopClients() {
        sockets.close();
    }
}
