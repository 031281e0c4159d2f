package dev.respite.cli;

import dev.respite.storage.persistence.AofCheck;
import dev.respite.storage.persistence.AofManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code respite-server --check-aof FILE [--fix]}: reports whether an append-only file (or each file a
 * manifest lists) is made of complete, well-formed commands, and with --fix truncates it to the last good
 * one. Exit status 0 when everything is (now) valid, 1 otherwise.
 */
final class AofCheckCommand {
    private final PrintStream out;

    AofCheckCommand(PrintStream out) {
        this.out = out;
    }

    int run(Path file, boolean fix) throws IOException {
        if (!Files.isRegularFile(file)) {
            out.println("Cannot open file: " + file);
            return 1;
        }
        List<Path> files = new ArrayList<>();
        if (file.getFileName().toString().endsWith(".manifest")) {
            String name = file.getFileName().toString();
            AofManifest m =
                    AofManifest.parse(name.substring(0, name.length() - ".manifest".length()), Files.readString(file));
            for (AofManifest.FileEntry f : m.files()) {
                files.add(file.resolveSibling(f.name()));
            }
            out.println("Start checking Multi Part AOF: " + files.size() + " files");
        } else {
            files.add(file);
        }
        int status = 0;
        for (int i = 0; i < files.size(); i++) {
            status |= check(files.get(i), fix, i == files.size() - 1);
        }
        return status;
    }

    private int check(Path file, boolean fix, boolean last) throws IOException {
        AofCheck.Result r = AofCheck.check(file);
        if (r.ok()) {
            out.println("AOF " + file + " is valid (" + r.commands() + " commands, " + r.size() + " bytes)");
            return 0;
        }
        out.println("AOF " + file + ": " + r.problem());
        out.println("AOF analyzed: filename=" + file.getFileName() + ", size=" + r.size() + ", ok_up_to="
                + r.goodLength() + ", ok_up_to_line=" + r.commands() + ", diff=" + (r.size() - r.goodLength()));
        if (!fix) {
            out.println("AOF " + file + " is not valid. Use the --fix option to try fixing it.");
            return 1;
        }
        if (!last) {
            out.println("Only the last file of a multi-part AOF may be truncated; " + file + " is not the last.");
            return 1;
        }
        AofCheck.truncate(file, r.goodLength());
        out.println("Successfully truncated AOF " + file + " to " + r.goodLength() + " bytes ("
                + (r.size() - r.goodLength()) + " bytes dropped)");
        return 0;
    }
}
