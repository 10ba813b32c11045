package com.dehive.calling.query.history;

import com.dehive.calling.query.writebehind.WriteBehind;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.bson.Document;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A projection's writes for one batch of a tracking processor, sent as one ordered bulk write per collection once
 * the batch's last event is handled, instead of a round trip per event: a rebuild reads events a batch at a time,
 * and a busy processor catches up a batch at a time. The writes a batch makes to one document are folded into one
 * (a call started and accepted in the same batch is inserted as accepted), which is what the store spends its time
 * on in a rebuild.
 *
 * <p>The bulk writes go on the segment's {@link WriteBehind} lane, where the processor's token for the batch is
 * queued behind them, and the processor goes on to its next batch meanwhile. Outside a batch (no tracking
 * processor) a write is sent at once.
 */
final class BatchedWrites implements MessageHandlerInterceptor<EventMessage<?>> {

    private static final String PENDING = BatchedWrites.class.getName() + ".pending";

    private final String processor;
    private final WriteBehind writeBehind;

    BatchedWrites(String processor, WriteBehind writeBehind) {
        this.processor = processor;
        this.writeBehind = writeBehind;
    }

    /** Inserts the document, or replaces the one with its {@code _id}. */
    static void replace(MongoCollection<Document> collection, Document document) {
        write(collection, document.get("_id"), new Replacement(document));
    }

    /** Sets top-level fields of the document with that {@code _id}, if there is one. */
    static void set(MongoCollection<Document> collection, Object id, Document fields) {
        fields.keySet().forEach(field -> {
            if (field.contains(".") || field.startsWith("$")) {
                throw new IllegalArgumentException("not a top-level field name: " + field);
            }
        });
        write(collection, id, new FieldUpdate(fields));
    }

    private static void write(MongoCollection<Document> collection, Object id, Write write) {
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() instanceof BatchingUnitOfWork<?> batch) {
            Map<MongoCollection<Document>, Pending> pending =
                    batch.getOrComputeResource(PENDING, key -> new LinkedHashMap<>());
            pending.computeIfAbsent(collection, key -> new Pending()).fold(id, write);
        } else {
            collection.bulkWrite(List.of(write.model(id)));
        }
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object result = chain.proceed();
        if (unitOfWork instanceof BatchingUnitOfWork<?> batch && batch.isLastMessage()) {
            Map<MongoCollection<Document>, Pending> pending = batch.getResource(PENDING);
            batch.resources().remove(PENDING);
            // opened even for a batch without writes: its token goes on the lane, behind the writes before it
            WriteBehind.Lane lane = writeBehind.laneOf(processor, batch);
            if (pending != null && lane != null) {
                lane.submit(() -> send(pending));
            } else if (pending != null) {
                send(pending);
            }
        }
        return result;
    }

    /**
     * Unordered: a batch writes each document once, so the order between its writes does not matter, and the driver
     * then sends all replacements in one command and all updates in another. In order, it started a new command, a
     * round trip, each time the kind of write changed: every few events of a rebuild.
     */
    private static void send(Map<MongoCollection<Document>, Pending> pending) {
        pending.forEach((collection, writes) ->
                collection.bulkWrite(writes.models(), new BulkWriteOptions().ordered(false)));
    }

    /** A batch's writes to one collection, one per document, in the order the documents were first written. */
    private static final class Pending {

        private final Map<Object, Write> byId = new LinkedHashMap<>();

        void fold(Object id, Write write) {
            byId.merge(id, write, Write::then);
        }

        List<WriteModel<Document>> models() {
            List<WriteModel<Document>> models = new ArrayList<>(byId.size());
            byId.forEach((id, write) -> models.add(write.model(id)));
            return models;
        }
    }

    private sealed interface Write permits Replacement, FieldUpdate {

        /** This write followed by {@code next}, as one: later fields win, a replacement wipes out what came before. */
        default Write then(Write next) {
            return next instanceof FieldUpdate update ? withFields(update.fields()) : next;
        }

        /** This write, with these fields set after it. */
        Write withFields(Document fields);

        WriteModel<Document> model(Object id);
    }

    private record Replacement(Document document) implements Write {

        @Override
        public Write withFields(Document fields) {
            return new Replacement(merged(document, fields));
        }

        @Override
        public WriteModel<Document> model(Object id) {
            return new ReplaceOneModel<>(Filters.eq("_id", id), document, new ReplaceOptions().upsert(true));
        }
    }

    /** Like {@code $set}, of a document that may not exist: then nothing is written, folded or not. */
    private record FieldUpdate(Document fields) implements Write {

        @Override
        public Write withFields(Document later) {
            return new FieldUpdate(merged(fields, later));
        }

        @Override
        public WriteModel<Document> model(Object id) {
            return new UpdateOneModel<>(Filters.eq("_id", id), new Document("$set", fields));
        }
    }

    /** A copy of {@code first} with {@code later}'s fields put over it; neither is changed. */
    private static Document merged(Document first, Document later) {
        Document merged = new Document(first);
        merged.putAll(later);
        return merged;
    }
}
