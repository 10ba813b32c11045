package com.dehive.calling.eventstore.embedded;

import de.bwaldvogel.mongo.bson.Document;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * A query's match prepared once for the many documents a cursor tests. A long {@code $nin} of strings is tested
 * against a hash set: Axon's tracked-event query excludes the ids of every event of its one-second look-back, and the
 * stock matcher compares each document's id with each of them, so every batch cost events times recent events (a
 * quarter of the store's work under a steady load of calls). The rest of the query goes to the stock matcher.
 */
final class PreparedMatch implements Predicate<Document> {

    /** Shorter lists are left to the stock matcher: a set gains nothing there. */
    private static final int LONG_LIST = 16;

    private final Document query;
    private final Document rest;
    private final Map<String, Set<String>> excluded;
    private final BiPredicate<Document, Document> matcher;

    private PreparedMatch(Document query, Document rest, Map<String, Set<String>> excluded,
                          BiPredicate<Document, Document> matcher) {
        this.query = query;
        this.rest = rest;
        this.excluded = excluded;
        this.matcher = matcher;
    }

    static Predicate<Document> of(Document query, BiPredicate<Document, Document> matcher) {
        Map<String, Set<String>> excluded = new LinkedHashMap<>();
        Document rest = new Document();
        for (Map.Entry<String, Object> condition : query.entrySet()) {
            if (condition.getKey().equals("$and") && condition.getValue() instanceof List<?> clauses) {
                List<Object> kept = new ArrayList<>();
                for (Object clause : clauses) {
                    if (!(clause instanceof Document document && document.size() == 1
                            && takeLongNin(document.entrySet().iterator().next(), excluded))) {
                        kept.add(clause);
                    }
                }
                if (!kept.isEmpty()) {
                    rest.put("$and", kept);
                }
            } else if (!takeLongNin(condition, excluded)) {
                rest.put(condition.getKey(), condition.getValue());
            }
        }
        if (excluded.isEmpty()) {
            return document -> matcher.test(document, query);
        }
        return new PreparedMatch(query, rest, excluded, matcher);
    }

    /** Takes {@code field: {$nin: [long list of strings]}} on a top-level field into {@code excluded}. */
    private static boolean takeLongNin(Map.Entry<String, Object> condition, Map<String, Set<String>> excluded) {
        String field = condition.getKey();
        if (field.startsWith("$") || field.contains(".") || excluded.containsKey(field)
                || !(condition.getValue() instanceof Document operators) || operators.size() != 1
                || !(operators.get("$nin") instanceof Collection<?> values) || values.size() < LONG_LIST
                || !values.stream().allMatch(String.class::isInstance)) {
            return false;
        }
        Set<String> set = new HashSet<>();
        values.forEach(value -> set.add((String) value));
        excluded.put(field, set);
        return true;
    }

    @Override
    public boolean test(Document document) {
        for (Map.Entry<String, Set<String>> field : excluded.entrySet()) {
            Object value = document.get(field.getKey());
            if (value instanceof String string) {
                if (field.getValue().contains(string)) {
                    return false;
                }
            } else if (value != null) {
                return matcher.test(document, query); // an array or another type: the stock rules decide
            }
        }
        return matcher.test(document, rest);
    }
}
