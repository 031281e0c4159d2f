package dev.respite.storage.persistence;

import java.io.IOException;

/** Receives the contents of an RDB file as {@link RdbReader} streams through it. */
public interface RdbVisitor {
    /** One key with its value; throwing stops the load. */
    void entry(RdbEntry entry) throws IOException;

    /** An auxiliary field such as redis-ver or ctime. */
    default void aux(String name, byte[] value) {}

    /** The sizes Redis announced for the database about to be read (a hint for pre-sizing). */
    default void resizeDb(int db, long keys, long expires) {}

    /** A function library's code (Redis 7's FUNCTION2 record); by default skipped with a warning. */
    default void function(byte[] code, long offset) throws IOException {
        warning("Skipped a function library at offset " + offset + ": this reader does not load function libraries");
    }

    /** Something was skipped that does not stop the load (function libraries, empty collections). */
    default void warning(String message) {}
}
