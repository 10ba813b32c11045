package com.dehive.calling.eventstore.engine;

/** Where this node's appends have got to in the stream, known without asking the store. */
public interface AppendedPositions {

    /** The last position this node appended at (-1 before its first append). */
    long lastAppendedHere();
}
