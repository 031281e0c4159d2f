package dev.respite.storage.persistence;

import dev.respite.storage.types.EncodingLimits;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Verifies one append-only file, as {@code respite-server --check-aof} and the loader do: every command
 * complete and well formed, and no MULTI left without its EXEC at the end (a crash inside a transaction's
 * write). Finds the length of the good prefix that a fix truncates the file to.
 */
public final class AofCheck {
    private static final byte[] MULTI = {'m', 'u', 'l', 't', 'i'};
    private static final byte[] EXEC = {'e', 'x', 'e', 'c'};

    /**
     * The outcome: {@code goodLength} bytes are complete commands; {@code problem} is null for a sound
     * file, else what was wrong after them.
     */
    public record Result(long size, long commands, long goodLength, String problem, boolean damagedInMiddle) {
        public boolean ok() {
            return problem == null;
        }
    }

    private static final byte[] RDB_SIGNATURE = "REDIS".getBytes(StandardCharsets.US_ASCII);

    private long openMultiAt = -1;

    /** Tracks transactions command by command; returns where an unfinished MULTI started, or -1. */
    public long observe(byte[][] command, long startOffset) {
        if (equalsIgnoreCase(command[0], MULTI)) {
            openMultiAt = startOffset;
        } else if (equalsIgnoreCase(command[0], EXEC)) {
            openMultiAt = -1;
        }
        return openMultiAt;
    }

    public long openMultiAt() {
        return openMultiAt;
    }

    /**
     * Checks one file: an RDB snapshot first when it starts with "REDIS" (a .base.rdb, or an old file with an RDB
     * preamble), then its commands. Damage inside the RDB part is reported with a good length of 0.
     */
    public static Result check(Path file) throws IOException {
        long size = Files.size(file);
        long start = 0;
        if (startsWithRdb(file)) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                RdbReader rdb = new RdbReader(in, size, new EncodingLimits());
                rdb.read(entry -> {});
                start = rdb.offset();
            } catch (RdbFormatException e) {
                return new Result(size, 0, 0, "RDB part: " + e.getMessage(), true);
            }
        }
        AofCheck tx = new AofCheck();
        long commands = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                AofReader r = new AofReader(skipped(in, start), start)) {
            byte[][] cmd;
            while ((cmd = r.next()) != null) {
                tx.observe(cmd, r.commandStart());
                commands++;
            }
        } catch (AofFormatException e) {
            long good = tx.openMultiAt() >= 0 ? tx.openMultiAt() : e.lastGoodOffset();
            return new Result(size, commands, good, e.getMessage(), !e.truncated());
        }
        if (tx.openMultiAt() >= 0) {
            return new Result(
                    size, commands, tx.openMultiAt(), "a MULTI at offset " + tx.openMultiAt() + " has no EXEC", false);
        }
        return new Result(size, commands, size, null, false);
    }

    private static InputStream skipped(InputStream in, long n) throws IOException {
        in.skipNBytes(n);
        return in;
    }

    /** Whether {@code file} starts with an RDB snapshot's signature. */
    public static boolean startsWithRdb(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(5), RDB_SIGNATURE);
        }
    }

    /** Cuts {@code file} to its first {@code length} bytes and makes that durable. */
    public static void truncate(Path file, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(length);
            ch.force(true);
        }
    }

    private static boolean equalsIgnoreCase(byte[] a, byte[] lower) {
        if (a.length != lower.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if ((a[i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }
}
