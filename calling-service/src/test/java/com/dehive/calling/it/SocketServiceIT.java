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

    /** Two new users, each with a socket: alice (the caller) and bob (the callee). */
    protected record Call(String alice, String bob, String aliceToken, String bobToken, JsSockets.Socket caller,
                          JsSockets.Socket callee) {
    }

    protected Call twoUsersWithSockets(CallingApi api) {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String aliceToken = api.token(alice);
        String bobToken = api.token(bob);
        return new Call(alice, bob, aliceToken, bobToken, sockets.connect(aliceToken), sockets.connect(bobToken));
    }
}
