package com.dehive.calling.query.history;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.call.CallAcceptedEvent;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallEvent;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.dehive.calling.shared.call.MediaToggledEvent;
import com.dehive.calling.shared.query.CallHistoryPage;
import com.dehive.calling.shared.query.CallView;
import com.dehive.calling.shared.query.FindActiveCallQuery;
import com.dehive.calling.shared.query.FindCallHistoryQuery;
import com.dehive.calling.shared.query.FindCallQuery;
import com.dehive.calling.shared.query.FindLiveCallOfUserQuery;
import com.dehive.calling.shared.query.LiveCallView;
import com.dehive.calling.shared.query.Processors;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.WriteModel;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.conversions.Bson;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The calls read model: one {@link CallRecord} per call, the fold of its events. It answers the history. A single
 * call ({@code /api/calls/{id}}) and a user's live call ({@code /active}) are answered from the call's own events
 * with the same fold, so they are never behind the commands that changed them.
 *
 * <p>A batch of events changes each call's record in memory, read once, and writes the records it changed in one
 * bulk write when its last event is handled (before the processor stores its token): under load a record is read
 * and written once per batch rather than once per event.
 */
@Component
@ProcessingGroup(CallHistoryProjection.PROCESSING_GROUP)
public class CallHistoryProjection {

    public static final String PROCESSING_GROUP = Processors.CALL_HISTORY;
    private static final String BATCH = CallHistoryProjection.class.getName() + ".batch";

    private final MongoCollection<CallRecord> calls;
    private final EventStore events;
    private final QueryGateway queries;

    public CallHistoryProjection(MongoDatabase database, @Lazy EventStore events, @Lazy QueryGateway queries) {
        this.calls = database.getCollection(CallRecord.COLLECTION, CallRecord.class);
        this.events = events;
        this.queries = queries;
        // a user's history, newest first; without it MongoDB scans every call
        calls.createIndex(Indexes.compoundIndex(Indexes.ascending(CallRecord.PARTICIPANTS),
                Indexes.descending(CallRecord.CREATED_AT)));
    }

    @EventHandler
    void on(CallStartedEvent event) {
        change(event);
    }

    @EventHandler
    void on(CallAcceptedEvent event) {
        change(event);
    }

    @EventHandler
    void on(CallDeclinedEvent event) {
        change(event);
    }

    @EventHandler
    void on(CallEndedEvent event) {
        change(event);
    }

    @EventHandler
    void on(MediaToggledEvent event) {
        change(event);
    }

    private void change(CallEvent event) {
        String callId = event.callId().toString();
        if (!(CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().root() instanceof BatchingUnitOfWork<?> uow)) {
            // handed an event outside a processor's batch (a repair): written at once
            write(List.of(CallRecord.apply(stored(callId), event)));
            return;
        }
        Map<String, CallRecord> batch = uow.getOrComputeResource(BATCH, key -> new LinkedHashMap<>());
        CallRecord before = batch.containsKey(callId) ? batch.get(callId) : stored(callId);
        batch.put(callId, CallRecord.apply(before, event));
    }

    private CallRecord stored(String callId) {
        return calls.find(Filters.eq("_id", callId)).first();
    }

    private void write(List<CallRecord> records) {
        List<WriteModel<CallRecord>> writes = new ArrayList<>();
        for (CallRecord record : records) {
            if (record != null) {
                writes.add(new ReplaceOneModel<>(Filters.eq("_id", record.id()), record,
                        new ReplaceOptions().upsert(true)));
            }
        }
        if (!writes.isEmpty()) {
            calls.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        }
    }

    /** Writes a batch's records once its last event is handled, before the processor stores its token. */
    void writeBatch(UnitOfWork<?> unitOfWork) {
        Map<String, CallRecord> batch = unitOfWork.root().getResource(BATCH);
        if (batch != null) {
            write(new ArrayList<>(batch.values()));
            batch.clear();
        }
    }

    @QueryHandler
    Optional<CallView> handle(FindCallQuery query) {
        return fromEvents(query.callId()).map(CallRecord::view);
    }

    /** The call that holds the user's line (the command side knows at once), as its events say it is now. */
    @QueryHandler
    CompletableFuture<Optional<CallView>> handle(FindActiveCallQuery query) {
        return queries.query(new FindLiveCallOfUserQuery(query.user()),
                        ResponseTypes.optionalInstanceOf(LiveCallView.class))
                .thenApply(line -> line.flatMap(call -> fromEvents(CallId.of(call.callId())))
                        .filter(CallRecord::isLive).map(CallRecord::view));
    }

    @QueryHandler
    CallHistoryPage handle(FindCallHistoryQuery query) {
        Bson mine = Filters.eq(CallRecord.PARTICIPANTS, query.user().toString());
        List<CallView> page = new ArrayList<>();
        calls.find(mine)
                .sort(Sorts.orderBy(Sorts.descending(CallRecord.CREATED_AT), Sorts.descending("_id")))
                .skip(query.offset())
                .limit(query.limit())
                .forEach(call -> page.add(call.view()));
        return new CallHistoryPage(page, calls.countDocuments(mine), query.limit(), query.offset());
    }

    private Optional<CallRecord> fromEvents(CallId callId) {
        CallRecord record = null;
        for (var stored = events.readEvents(callId.toString()); stored.hasNext(); ) {
            if (stored.next().getPayload() instanceof CallEvent event) {
                record = CallRecord.apply(record, event);
            }
        }
        return Optional.ofNullable(record);
    }

    @Configuration(proxyBeanMethods = false)
    static class BatchWritesConfig {

        @Bean
        ConfigurerModule callHistoryBatchWrites(@Lazy CallHistoryProjection projection) {
            return configurer -> configurer.eventProcessing().registerHandlerInterceptor(PROCESSING_GROUP,
                    config -> new WriteBatch(projection));
        }
    }

    record WriteBatch(CallHistoryProjection projection) implements MessageHandlerInterceptor<EventMessage<?>> {

        @Override
        public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain)
                throws Exception {
            Object result = chain.proceed();
            if (!(unitOfWork instanceof BatchingUnitOfWork<?> batch) || batch.isLastMessage()) {
                projection.writeBatch(unitOfWork);
            }
            return result;
        }
    }
}
