package com.dehive.calling.service.management;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * With {@code MANAGEMENT_PORT}, health and metrics listen on the service's own address ({@code CLOUD_HOST}), not on
 * every interface as Spring Boot has a management port without {@code management.server.address} (which it refuses
 * to accept when there is no management port of its own, so application.yml cannot simply set it).
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementAddressConfig {

    @Bean
    WebServerFactoryCustomizer<ConfigurableWebServerFactory> managementAddress(ServerProperties server,
                                                                               ManagementServerProperties management) {
        return new SameAddress(server, management);
    }

    private record SameAddress(ServerProperties server, ManagementServerProperties management)
            implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

        @Override
        public void customize(ConfigurableWebServerFactory factory) {
            if (management.getAddress() == null) {
                factory.setAddress(server.getAddress());
            }
        }

        /** After Spring Boot's own management customizer, which sets the address it was given (none). */
        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
