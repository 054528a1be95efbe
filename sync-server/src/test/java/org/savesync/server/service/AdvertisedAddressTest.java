package org.savesync.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvertisedAddressTest {
    @Test
    void aConcreteListenAddressIsTheOneGiven() {
        assertThat(HubService.advertisedAddress(new InetSocketAddress("127.0.0.1", 22000),
                List.of("127.0.0.1:22000"))).isEqualTo("127.0.0.1:22000");
    }

    @Test
    void aWildcardBecomesAnInterfaceAddressNotLoopbackFirst() {
        assertThat(HubService.advertisedAddress(new InetSocketAddress("0.0.0.0", 22000),
                List.of("127.0.0.1:22000", "192.168.1.20:22000", "10.0.0.5:22000"))).isEqualTo("192.168.1.20:22000");
    }

    @Test
    void aWildcardOnAMachineWithOnlyLoopbackGivesLoopback() {
        assertThat(HubService.advertisedAddress(new InetSocketAddress("0.0.0.0", 22000), List.of("127.0.0.1:22000")))
                .isEqualTo("127.0.0.1:22000");
        assertThat(HubService.advertisedAddress(new InetSocketAddress("0.0.0.0", 22000), List.of()))
                .isEqualTo("127.0.0.1:22000");
    }
}
