package com.dehive.calling.command.call;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * Axon's aggregate cache over a bounded Caffeine cache: the calls used most recently, held by strong reference (a
 * weak-reference cache loses them at every young collection, which under load is every second or so).
 */
final class RecentCalls implements Cache {

    private final com.github.benmanes.caffeine.cache.Cache<Object, Object> calls;

    RecentCalls(long maxCalls) {
        this.calls = Caffeine.newBuilder().maximumSize(maxCalls).build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        return (V) calls.getIfPresent(key);
    }

    @Override
    public void put(Object key, Object value) {
        calls.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return calls.asMap().putIfAbsent(key, value) == null;
    }

    @Override
    public boolean remove(Object key) {
        return calls.asMap().remove(key) != null;
    }

    @Override
    public void removeAll() {
        calls.invalidateAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return calls.asMap().containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener entryListener) {
        // Axon registers no listener on an aggregate cache; one that did would never be told anything here
        throw new UnsupportedOperationException("the call cache has no entry listeners");
    }
}
