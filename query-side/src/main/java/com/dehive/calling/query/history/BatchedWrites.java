package com.dehive.calling.query.history;

import com.dehive.calling.query.writebehind.WriteBehind;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
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
 * and a busy processor catches up a batch at a time.
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

    static void write(MongoCollection<Document> collection, WriteModel<Document> write) {
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() instanceof BatchingUnitOfWork<?> batch) {
            Map<MongoCollection<Document>, List<WriteModel<Document>>> pending =
                    batch.getOrComputeResource(PENDING, key -> new LinkedHashMap<>());
            pending.computeIfAbsent(collection, key -> new ArrayList<>()).add(write);
        } else {
            collection.bulkWrite(List.of(write));
        }
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object result = chain.proceed();
        if (unitOfWork instanceof BatchingUnitOfWork<?> batch && batch.isLastMessage()) {
            Map<MongoCollection<Document>, List<WriteModel<Document>>> pending = batch.getResource(PENDING);
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

    private static void send(Map<MongoCollection<Document>, List<WriteModel<Document>>> pending) {
        pending.forEach((collection, writes) -> collection.bulkWrite(writes, new BulkWriteOptions().ordered(true)));
    }
}
