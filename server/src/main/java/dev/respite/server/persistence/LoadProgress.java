package dev.respite.server.persistence;

/** A load of the data files under way, as INFO's loading_* fields show it. */
interface LoadProgress {
    /** When it began, in Unix milliseconds. */
    long startMillis();

    /** The size of what it reads. */
    long totalBytes();

    /** How much of that is in the keyspace so far. */
    long loadedBytes();
}
