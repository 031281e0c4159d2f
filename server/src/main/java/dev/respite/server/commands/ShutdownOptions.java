package dev.respite.server.commands;

import java.util.List;

/**
 * How a SHUTDOWN (or a stop signal, with shutdown-on-sigint and shutdown-on-sigterm) ends the server: {@code save}
 * and {@code noSave} override the save points, {@code now} skips the wait for lagging replicas, {@code force}
 * exits even when the final save or the initial append-only file cannot be written.
 */
public record ShutdownOptions(boolean save, boolean noSave, boolean now, boolean force) {
    /** Those of a signal: the words of shutdown-on-sigint or shutdown-on-sigterm (none means "default"). */
    public static ShutdownOptions of(List<String> words) {
        return new ShutdownOptions(
                words.contains("save"), words.contains("nosave"), words.contains("now"), words.contains("force"));
    }

    /** Without saving, whatever the save points say (a shutdown while the dataset is loading). */
    public ShutdownOptions withoutSave() {
        return new ShutdownOptions(false, true, now, force);
    }
}
