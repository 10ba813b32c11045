package com.dehive.calling.eventstore.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A non-unique index for the embedded store, which otherwise ignores non-unique indexes and scans every document:
 * loading an aggregate, a tracking processor's next batch and a user's live call each scanned the whole collection,
 * so the service slowed down with every event stored. It orders the documents by the index's first field (array
 * elements each count) and answers the candidates for an equality, {@code $in} or range condition on that field,
 * at the top of the query or inside a top-level {@code $and}; the store then applies the whole query to them. It
 * lives in memory and is rebuilt from the documents when the store opens.
 */
final class OrderedIndex<P> extends Index<P> {

    private static final Set<String> OPERATORS = Set.of("$eq", "$in", "$gt", "$gte", "$lt", "$lte");

    private record Entry<P>(P position, List<Object> values) {
    }

    private final String field;
    private final NavigableMap<Object, Set<P>> byValue = new TreeMap<>(ValueComparator.asc());
    private final Map<Object, Entry<P>> byId = new HashMap<>();
    /** Documents with more than one value in the field (arrays): the index's order is not their sort order. */
    private int multiValued;

    OrderedIndex(String name, List<IndexKey> keys) {
        super(name, List.of(keys.get(0)), false);
        this.field = keys.get(0).getKey();
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        return condition(query) != null;
    }

    @Override
    public synchronized Iterable<P> getPositions(Document query) {
        Object condition = condition(query);
        List<P> positions = new ArrayList<>();
        if (condition instanceof Document operators && operators.containsKey("$in")) {
            for (Object value : (Collection<?>) operators.get("$in")) {
                positions.addAll(byValue.getOrDefault(value, Set.of()));
            }
            return positions;
        }
        range(condition).values().forEach(positions::addAll);
        return positions;
    }

    String field() {
        return field;
    }

    /**
     * Whether this index can hand out the documents a query asks for in the order of its field: the query names an
     * equality or a range on it, and no document has several values there (an array sorts by one of them).
     */
    synchronized boolean canAnswerInOrder(Document query) {
        Object condition = condition(query);
        return condition != null && multiValued == 0
                && !(condition instanceof Document operators && operators.containsKey("$in"));
    }

    /**
     * The next values in the query's range after {@code after} (from the first one if null), either way, each with its
     * positions, until they hold at least {@code positions} positions or the range ends. A copy: the caller reads
     * the documents after this returns.
     */
    synchronized List<Map.Entry<Object, List<P>>> nextValues(Document query, Object after, int positions,
                                                             boolean descending) {
        NavigableMap<Object, Set<P>> range = range(condition(query));
        if (descending) {
            range = range.descendingMap();
        }
        if (after != null) {
            range = range.tailMap(after, false);
        }
        List<Map.Entry<Object, List<P>>> values = new ArrayList<>();
        int taken = 0;
        for (Map.Entry<Object, Set<P>> value : range.entrySet()) {
            if (taken >= positions) {
                break;
            }
            values.add(Map.entry(value.getKey(), List.copyOf(value.getValue())));
            taken += value.getValue().size();
        }
        return values;
    }

    /** The values an equality or a range on the field selects (an {@code $in} is answered value by value). */
    private NavigableMap<Object, Set<P>> range(Object condition) {
        if (!(condition instanceof Document operators)) {
            return byValue.subMap(condition, true, condition, true);
        }
        NavigableMap<Object, Set<P>> range = byValue;
        try {
            if (operators.containsKey("$eq")) {
                range = range.subMap(operators.get("$eq"), true, operators.get("$eq"), true);
            }
            if (operators.containsKey("$gt")) {
                range = range.tailMap(operators.get("$gt"), false);
            }
            if (operators.containsKey("$gte")) {
                range = range.tailMap(operators.get("$gte"), true);
            }
            if (operators.containsKey("$lt")) {
                range = range.headMap(operators.get("$lt"), false);
            }
            if (operators.containsKey("$lte")) {
                range = range.headMap(operators.get("$lte"), true);
            }
        } catch (IllegalArgumentException emptyRange) {
            return Collections.emptyNavigableMap();
        }
        return range;
    }

    /** The condition on the indexed field, if it is one this index can answer; null otherwise. */
    private Object condition(Document query) {
        Object condition = conditionOn(field, query);
        return answerable(condition) ? condition : null;
    }

    /**
     * A query's condition on a field, at its top or in a clause of a top-level {@code $and} (how the Java driver
     * renders {@code Filters.and}); null if it names none. The store applies the whole query to what an index
     * answers, so any one of these conditions may select the candidates.
     */
    static Object conditionOn(String field, Document query) {
        Object condition = query.get(field);
        if (condition == null && query.get("$and") instanceof Collection<?> all) {
            for (Object part : all) {
                if (part instanceof Document clause && clause.containsKey(field)) {
                    return clause.get(field);
                }
            }
        }
        return condition;
    }

    private static boolean answerable(Object condition) {
        if (condition instanceof Document operators) {
            return !operators.isEmpty() && OPERATORS.containsAll(operators.keySet())
                    && operators.values().stream().allMatch(OrderedIndex::plainValue)
                    && (!operators.containsKey("$in") || operators.get("$in") instanceof Collection<?> values
                    && values.stream().allMatch(OrderedIndex::plainValue));
        }
        return plainValue(condition);
    }

    /** A value an index look-up can answer an equality on: not missing, not an array, a sub-document or a regex. */
    static boolean plainValue(Object value) {
        return value != null && !(value instanceof Missing) && !(value instanceof Document)
                && !(value instanceof Pattern) && !(value instanceof Collection);
    }

    private List<Object> valuesOf(Document document) {
        List<Object> values = new ArrayList<>();
        for (KeyValue key : getKeyValues(document)) {
            Object value = key.get(0);
            if (value != null && !(value instanceof Missing)) {
                values.add(value);
            }
        }
        return values;
    }

    @Override
    public synchronized void add(Document document, P position, MongoCollection<P> collection) {
        add(document.get("_id"), position, valuesOf(document));
    }

    private void add(Object id, P position, List<Object> values) {
        byId.put(id, new Entry<>(position, values));
        if (values.size() > 1) {
            multiValued++;
        }
        for (Object value : values) {
            byValue.computeIfAbsent(value, key -> new LinkedHashSet<>()).add(position);
        }
    }

    @Override
    public synchronized P remove(Document document) {
        Entry<P> entry = byId.remove(document.get("_id"));
        if (entry == null) {
            return null;
        }
        if (entry.values().size() > 1) {
            multiValued--;
        }
        for (Object value : entry.values()) {
            Set<P> positions = byValue.get(value);
            if (positions != null) {
                positions.remove(entry.position());
                if (positions.isEmpty()) {
                    byValue.remove(value);
                }
            }
        }
        return entry.position();
    }

    @Override
    public synchronized void updateInPlace(Document oldDocument, Document newDocument, P position,
                                           MongoCollection<P> collection) {
        List<Object> values = valuesOf(newDocument);
        Entry<P> entry = byId.get(oldDocument.get("_id"));
        if (entry != null && entry.position().equals(position)
                && Objects.equals(oldDocument.get("_id"), newDocument.get("_id"))
                && entry.values().equals(values)) {
            return; // most updates leave the indexed field alone (a call's participants never change)
        }
        remove(oldDocument);
        add(newDocument.get("_id"), position, values);
    }

    @Override
    public synchronized P getPosition(Document document) {
        Entry<P> entry = byId.get(document.get("_id"));
        return entry == null ? null : entry.position();
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        // not unique: every document may be added
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        // not unique: every update may be applied
    }

    @Override
    public synchronized long getCount() {
        return byId.size();
    }

    @Override
    public long getDataSize() {
        return 0; // in memory only; nothing stored
    }

    @Override
    public synchronized void drop() {
        byValue.clear();
        byId.clear();
        multiValued = 0;
    }
}
