package com.dehive.calling.eventstore.config;

/**
 * A store that runs inside this process (the embedded default), as the rest of the wiring needs to know it: where to
 * connect, and how to make what it acknowledged durable. A MongoDB server needs neither.
 */
public interface InProcessStore {

    String connectionString();

    /** Returns once every write acknowledged before the call is on disk. */
    void commit();
}
