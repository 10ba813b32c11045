package com.dehive.calling.gateway.socket;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

class SocketSessionTest {

    @Test
    void behind_a_proxy_on_this_host_or_the_private_network_the_client_is_the_first_forwarded_address()
            throws Exception {
        assertThat(SocketSession.clientAddress(peer("127.0.0.1"), "203.0.113.7, 10.0.0.2")).isEqualTo("203.0.113.7");
        assertThat(SocketSession.clientAddress(peer("10.0.0.2"), "203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @Test
    void a_client_on_a_public_address_cannot_name_another_address() throws Exception {
        assertThat(SocketSession.clientAddress(peer("198.51.100.4"), "203.0.113.7")).isEqualTo("198.51.100.4");
    }

    @Test
    void without_a_forwarded_address_the_client_is_its_peer() throws Exception {
        assertThat(SocketSession.clientAddress(peer("10.0.0.2"), null)).isEqualTo("10.0.0.2");
        assertThat(SocketSession.clientAddress(peer("127.0.0.1"), " ")).isEqualTo("127.0.0.1");
        assertThat(SocketSession.clientAddress(null, "203.0.113.7")).isEqualTo("unknown");
    }

    private static InetSocketAddress peer(String address) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), 40000);
    }
}
