package dev.respite.server.scripting;

/** The debugging client's connection, read and written directly while the script is stopped. */
public interface DebugConsole {
    /** Waits for input and reads up to {@code into.length} bytes; -1 once the client is gone. */
    int read(byte[] into);

    /** Writes all of {@code data}, or gives up when the client does not take it (it is then gone). */
    void write(byte[] data);
}
