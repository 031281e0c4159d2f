package dev.respite.server.command;

import dev.respite.storage.Database;
import java.util.List;

/**
 * A command's rewrite for the append-only file: the deterministic commands to log instead of the one that
 * just ran, read from its database after it ran.
 */
@FunctionalInterface
public interface PropagationRule {
    List<byte[][]> rewrite(Database db, byte[][] args);
}
