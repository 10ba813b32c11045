package com.dehive.calling.command.call;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Calls kept in memory between commands, so a command does not read the call's events again. Only on one node
 * (no {@code REDIS_URL}): there every change to a call goes through this node, so a kept call is never stale. With
 * several nodes another node may have changed it, so every command reads the store. Beyond the bound, the calls
 * used least recently are read from the store again.
 */
@Configuration(proxyBeanMethods = false)
class CallCacheConfig {

    @Bean
    Cache callCache(@Value("${calling.redis.url:}") String redisUrl) {
        return redisUrl.isBlank() ? new RecentCalls(20_000) : NoCache.INSTANCE;
    }
}
