package com.dehive.testhooks;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Inserts into one collection that fail, for the documents that name a chosen call, a chosen number of times: a
 * store that refuses a projection's write, as a test asks for it.
 */
public class FailingWrites {

    private final Map<String, Integer> failuresLeft = new ConcurrentHashMap<>();

    /** The next {@code times} inserts of a document naming the call fail (0: none any more). */
    public void failInsertsFor(String callId, int times) {
        failuresLeft.put(callId, times);
    }

    MongoDatabase database(MongoDatabase database, String collection) {
        return proxy(MongoDatabase.class, database, (target, method, args) -> {
            Object result = method.invoke(target, args);
            if (method.getName().equals("getCollection") && collection.equals(args[0])) {
                return collection((MongoCollection<?>) result);
            }
            if (method.getName().startsWith("with") && result instanceof MongoDatabase other) {
                return database(other, collection);
            }
            return result;
        });
    }

    private MongoCollection<?> collection(MongoCollection<?> collection) {
        return proxy(MongoCollection.class, collection, (target, method, args) -> {
            if (method.getName().equals("insertOne")) {
                String document = String.valueOf(args[0]);
                for (Map.Entry<String, Integer> call : failuresLeft.entrySet()) {
                    if (document.contains(call.getKey()) && call.getValue() > 0) {
                        failuresLeft.merge(call.getKey(), -1, Integer::sum);
                        throw new MongoException("test hook: the store refused this insert");
                    }
                }
            }
            Object result = method.invoke(target, args);
            return result instanceof MongoCollection<?> other && method.getName().startsWith("with")
                    ? collection(other) : result;
        });
    }

    private interface Call {
        Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, Call call) {
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                return call.invoke(target, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler);
    }
}
