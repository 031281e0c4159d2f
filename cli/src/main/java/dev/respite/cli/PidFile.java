package dev.respite.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The pidfile directive: the process id written at start-up, removed at a clean exit. */
final class PidFile {
    private final Path path;

    PidFile(String path) {
        this.path = Path.of(path);
    }

    void write() throws IOException {
        Files.writeString(path, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
    }

    void delete() throws IOException {
        Files.deleteIfExists(path);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
