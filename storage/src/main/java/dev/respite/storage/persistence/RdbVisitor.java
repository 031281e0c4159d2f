package dev.respite.storage.persistence;

import java.io.IOException;

/** Receives the contents of an RDB file as {@link RdbReader} streams through it. */
public interface RdbVisitor {
    /** One key with its value; throwing stops the load. */
    void entry(RdbEntry entry) throws IOException;

    /** An auxiliary field such as redis-ver or ctime. */
    default void aux(String name, byte[] value) {
    }

    /** The sizes Redis announced for the database about to be read (a hint for pre-sizing). */
    default void resizeDb(int db, long keys, long expires) {
    }

    /** Something was skipped that does not stop the load (function libraries, empty collections). */
    default void warning(String message) {
    }
}
