package dev.respite.server.scripting;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.KeyFinder;
import dev.respite.server.command.KeyRefs;
import dev.respite.server.commands.ValueTypes;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.Keyspace;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rollback of a SCRIPT DEBUG YES session. Redis runs that session in a forked child whose changes die
 * with it; Respite cannot fork, so before each write command the script runs, the keys it names are copied
 * (value and expiry, or their absence), and when the session ends every copied key is put back as it was.
 * Writes whose keys cannot all be named (FLUSHALL, FLUSHDB, SWAPDB) are refused in such a session.
 */
final class WriteUndo {
    private final Keyspace keyspace;
    private final KeyRefs refs = new KeyRefs();
    /** The first saved state of each key touched, by database and key; null for a key that was absent. */
    private final Map<Slot, Saved> saved = new LinkedHashMap<>();

    WriteUndo(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    private record Slot(int db, ByteBuffer key) {}

    private record Saved(Object value, long expireAt) {}

    /**
     * Copies what the write {@code args} is about to change in {@code db}; returns the error text when the
     * command may not run in the session, null otherwise.
     */
    String beforeWrite(Database db, CommandSpec spec, byte[][] args) {
        switch (spec.fullName()) {
            case "flushall", "flushdb", "swapdb" -> {
                return spec.fullName().toUpperCase(java.util.Locale.ROOT)
                        + " can't run in a SCRIPT DEBUG YES session: its changes could not be rolled back";
            }
            case "move" -> saveOther(args[2], args[1]);
            case "copy" -> {
                for (int i = 3; i + 1 < args.length; i++) {
                    if (Args.is(args[i], "db")) {
                        saveOther(args[i + 1], args[2]);
                    }
                }
            }
            default -> {}
        }
        int n = KeyFinder.find(spec, args, refs);
        for (int i = 0; i < n; i++) {
            save(db, args[refs.position(i)]);
        }
        return null;
    }

    private void saveOther(byte[] dbArg, byte[] key) {
        if (Args.isLong(dbArg)) {
            long index = Args.toLong(dbArg);
            if (index >= 0 && index < keyspace.count()) {
                save(keyspace.db((int) index), key);
            }
        }
    }

    private void save(Database db, byte[] key) {
        Slot slot = new Slot(db.index(), ByteBuffer.wrap(key.clone()));
        if (saved.containsKey(slot)) {
            return;
        }
        Entry e = db.peek(key);
        saved.put(slot, e == null ? null : new Saved(ValueTypes.copy(e.value(), keyspace.limits()), e.expireAt()));
    }

    /** Puts every touched key back as it was before the session. */
    void rollback() {
        for (Map.Entry<Slot, Saved> s : saved.entrySet()) {
            Database db = keyspace.db(s.getKey().db());
            byte[] key = s.getKey().key().array();
            db.delete(key);
            Saved before = s.getValue();
            if (before != null) {
                Entry e = db.set(key, before.value());
                if (before.expireAt() != Entry.NO_EXPIRY) {
                    db.setExpireAt(e, before.expireAt());
                }
            }
        }
        saved.clear();
    }
}
