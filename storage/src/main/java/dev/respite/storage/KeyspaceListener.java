package dev.respite.storage;

/** What the server wants to hear about changes it did not make itself through a command. */
public interface KeyspaceListener {
    /** A key's value or TTL changed, or the key went away (breaks WATCH). */
    void keyModified(Database db, byte[] key);

    /** A key that did not exist was created (before the change that created it is reported). */
    default void keyCreated(Database db, byte[] key) {}

    /** A key was found expired and removed, lazily or actively. */
    void keyExpired(Database db, byte[] key);

    /** A key was removed by the maxmemory policy. */
    default void keyEvicted(Database db, byte[] key) {}

    KeyspaceListener NONE = new KeyspaceListener() {
        @Override
        public void keyModified(Database db, byte[] key) {}

        @Override
        public void keyExpired(Database db, byte[] key) {}
    };
}
