package com.dehive.calling.eventstore.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractCursor;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentComparator;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A sorted query answered a batch at a time, in the order of an {@link OrderedIndex} on its first sort key (either
 * way: the newest event of the stream is the first of a descending sort).
 *
 * <p>mongo-java-server answers a query in full before it hands out the first batch: it loads and matches every
 * candidate and sorts them all. Axon's tracked-event query (events from a timestamp on, by timestamp) asks for one
 * batch and closes the cursor, so a processor reading the stream from the start paid for the whole rest of the
 * stream at every batch: a rebuild was quadratic. Here a batch reads the index's next values, whole values at a
 * time (documents with one value are sorted among themselves by the rest of the sort), and stops when it has
 * enough; the cursor goes on from the last value when the client asks for more.
 *
 * <p>Like a MongoDB cursor, it sees the collection as it is when each batch is read, not as it was at the query.
 */
final class IndexOrderedCursor<P> extends AbstractCursor {

    private final MongoCollection<P> collection;
    private final OrderedIndex<P> index;
    private final Document query;
    private final DocumentComparator order;
    private final Function<P, Document> load;
    private final Predicate<Document> matches;
    private final Deque<Document> read = new ArrayDeque<>();
    private int toSkip;
    private int toReturn;
    private final boolean descending;
    private Object lastValue;
    private boolean rangeEnded;

    private IndexOrderedCursor(long id, MongoCollection<P> collection, OrderedIndex<P> index, Document query,
                               Document orderBy, boolean descending, int skip, int limit,
                               Function<P, Document> load, BiPredicate<Document, Document> matches) {
        super(id);
        this.descending = descending;
        this.collection = collection;
        this.index = index;
        this.query = query;
        this.order = new DocumentComparator(orderBy);
        this.load = load;
        this.matches = PreparedMatch.of(query, matches);
        this.toSkip = Math.max(skip, 0);
        this.toReturn = limit > 0 ? limit : Integer.MAX_VALUE;
    }

    /**
     * The first batch of the query, and a cursor registered for the rest if there is more; null if the query is not
     * one this cursor can answer (the collection then answers it as usual).
     */
    static <P> QueryResult query(MongoCollection<P> collection, CursorRegistry cursors, Document query,
                                 Document orderBy, int skip, int limit, int batchSize, Document fieldSelector,
                                 Function<P, Document> load, BiPredicate<Document, Document> matches) {
        if (orderBy == null || orderBy.isEmpty() || (fieldSelector != null && !fieldSelector.isEmpty())
                || (limit <= 0 && batchSize <= 0)) {
            return null; // all of it at once (nothing to gain), or a projection this does not apply
        }
        Map.Entry<String, Object> firstKey = orderBy.entrySet().iterator().next();
        if (!(firstKey.getValue() instanceof Number direction) || Math.abs(direction.intValue()) != 1) {
            return null;
        }
        OrderedIndex<P> index = null;
        for (Index<P> candidate : collection.getIndexes()) {
            if (candidate instanceof OrderedIndex<P> ordered && ordered.field().equals(firstKey.getKey())
                    && ordered.canAnswerInOrder(query)) {
                index = ordered;
                break;
            }
        }
        if (index == null) {
            return null;
        }
        IndexOrderedCursor<P> cursor = new IndexOrderedCursor<>(cursors.generateCursorId(), collection, index, query,
                orderBy, direction.intValue() < 0, skip, limit, load, matches);
        List<Document> firstBatch = cursor.takeDocuments(batchSize > 0 ? batchSize : limit);
        if (cursor.isEmpty()) {
            return new QueryResult(firstBatch);
        }
        cursors.add(cursor);
        return new QueryResult(firstBatch, cursor);
    }

    @Override
    public synchronized boolean isEmpty() {
        return read.isEmpty();
    }

    @Override
    public synchronized List<Document> takeDocuments(int numberToReturn) {
        int wanted = numberToReturn > 0 ? numberToReturn : Integer.MAX_VALUE;
        // one more than asked, so that isEmpty() knows whether the client should come back
        readUntil(wanted == Integer.MAX_VALUE ? wanted : wanted + 1);
        List<Document> batch = new ArrayList<>();
        while (batch.size() < wanted && !read.isEmpty()) {
            batch.add(read.poll());
        }
        return batch;
    }

    private void readUntil(int count) {
        while (read.size() < count && toReturn > 0 && !rangeEnded) {
            // the collection's lock, as its own queries take it: no write is half-applied while a batch is read
            synchronized (collection) {
                List<Map.Entry<Object, List<P>>> values =
                        index.nextValues(query, lastValue, Math.min(count - read.size(), 1000), descending);
                if (values.isEmpty()) {
                    rangeEnded = true;
                }
                for (Map.Entry<Object, List<P>> value : values) {
                    readValue(value.getValue());
                    lastValue = value.getKey();
                }
            }
        }
    }

    private void readValue(List<P> positions) {
        List<Document> documents = new ArrayList<>(positions.size());
        for (P position : positions) {
            Document document = load.apply(position);
            if (document != null && matches.test(document)) {
                documents.add(document);
            }
        }
        documents.sort(order);
        for (Document document : documents) {
            if (toSkip > 0) {
                toSkip--;
            } else if (toReturn > 0) {
                read.add(document);
                toReturn--;
            }
        }
    }
}
