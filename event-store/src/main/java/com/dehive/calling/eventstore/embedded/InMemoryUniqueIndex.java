package com.dehive.calling.eventstore.embedded;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A unique index of the H2 store kept in memory and rebuilt from the documents when the store opens, as
 * {@link OrderedIndex} is. H2's own keeps its keys in a map ordered by their serialized Java form: every look-up
 * serialized the keys along its binary search, a quarter of the store's time in a rebuild, and every write looks
 * up the {@code _id} index at least once. Also, an index rebuilt at open cannot disagree with the documents.
 *
 * <p>It also answers a query that names every one of its fields with a plain value beside other conditions, or
 * inside a top-level {@code $and} (how the Java driver renders {@code Filters.and}); the stock index answers only a
 * query of exactly its fields, so such a query read the whole collection: a conversation's upsert by its two users
 * scanned every conversation. The store applies the whole query to the one document found.
 */
final class InMemoryUniqueIndex<P> extends AbstractUniqueIndex<P> {

    private final Map<KeyValue, P> positions = new ConcurrentHashMap<>();

    InMemoryUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        return super.canHandle(query) || equalityKey(query) != null;
    }

    @Override
    public synchronized Iterable<P> getPositions(Document query) {
        if (super.canHandle(query)) {
            return super.getPositions(query);
        }
        P position = getPosition(equalityKey(query));
        return position == null ? List.of() : List.of(position);
    }

    /** The key a query selects with a plain value on each field of the index; null if it does not name them all. */
    private KeyValue equalityKey(Document query) {
        List<Object> values = new ArrayList<>();
        for (String field : keys()) {
            Object value = plainEquality(OrderedIndex.conditionOn(field, query));
            if (value == null) {
                return null;
            }
            values.add(value);
        }
        return new KeyValue(values).normalized(); // as the index's keys are
    }

    /** The value of {@code value} or {@code {$eq: value}} if it is one an equality look-up answers; null if not. */
    private static Object plainEquality(Object condition) {
        Object value = condition instanceof Document operators && operators.size() == 1
                ? operators.get("$eq") : condition;
        return OrderedIndex.plainValue(value) ? value : null;
    }

    @Override
    protected P removeDocument(KeyValue key) {
        return positions.remove(key);
    }

    @Override
    protected boolean putKeyPosition(KeyValue key, P position) {
        return positions.putIfAbsent(key, position) == null;
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, P>> getIterable() {
        return positions.entrySet();
    }

    @Override
    protected P getPosition(KeyValue key) {
        return positions.get(key);
    }

    @Override
    public long getCount() {
        return positions.size();
    }

    @Override
    public boolean isEmpty() {
        return positions.isEmpty();
    }

    @Override
    public long getDataSize() {
        return 0; // in memory only; nothing stored
    }
}
