package com.dehive.calling.gateway.auth.session;

import com.dehive.calling.gateway.auth.AuthMode;
import com.dehive.calling.gateway.auth.AuthProperties;
import io.lettuce.core.RedisClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
class SessionConfig {

    /** Present only in auth mode session. */
    @Bean
    DecodeSessions decodeSessions(AuthProperties properties, ObjectProvider<RedisClient> redis) {
        if (properties.effectiveMode() != AuthMode.SESSION) {
            return null;
        }
        Clock clock = Clock.systemUTC();
        RedisClient client = redis.getIfAvailable();
        SessionCache cache = client == null ? new LocalSessionCache(clock)
                : new RedisSessionCache(client.connect(), clock);
        return new DecodeSessions(properties.decodeGatewayUrl(), properties.decodeGatewayTimeout(),
                properties.sessionCacheMax(), cache, clock);
    }
}
