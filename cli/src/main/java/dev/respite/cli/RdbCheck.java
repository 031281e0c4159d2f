package dev.respite.cli;

import dev.respite.storage.persistence.RdbEntry;
import dev.respite.storage.persistence.RdbFormat;
import dev.respite.storage.persistence.RdbFormatException;
import dev.respite.storage.persistence.RdbReader;
import dev.respite.storage.persistence.RdbVisitor;
import dev.respite.storage.types.EncodingLimits;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code respite-server --check-rdb FILE}: reads a whole RDB file as a load would, verifying every value and
 * the checksum, and reports what it holds or where it is damaged. Exit code 0 when the file loads.
 */
final class RdbCheck {
    private RdbCheck() {}

    static int run(Path file, PrintStream out) {
        out.println("[offset 0] Checking RDB file " + file);
        Map<Integer, Long> types = new TreeMap<>();
        long[] keys = new long[2];
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            out.println("Cannot open " + file + ": " + e.getMessage());
            return 1;
        }
        RdbReader reader;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            reader = new RdbReader(in, size, new EncodingLimits());
            RdbReader r = reader;
            reader.read(new RdbVisitor() {
                @Override
                public void entry(RdbEntry e) {
                    types.merge(e.type(), 1L, Long::sum);
                    keys[0]++;
                    if (e.expireAt() >= 0) {
                        keys[1]++;
                    }
                }

                @Override
                public void aux(String name, byte[] value) {
                    out.println("[offset " + r.offset() + "] AUX FIELD " + name + " = '"
                            + new String(value, StandardCharsets.ISO_8859_1) + "'");
                }

                @Override
                public void warning(String message) {
                    out.println("[warning] " + message);
                }
            });
        } catch (RdbFormatException e) {
            printCounts(out, keys, types);
            out.println("--- RDB ERROR DETECTED ---");
            out.println(e.getMessage());
            return 1;
        } catch (IOException e) {
            out.println("--- RDB ERROR DETECTED ---");
            out.println("Cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        out.println("[offset " + reader.offset() + "] RDB version " + reader.version() + ", checksum OK");
        printCounts(out, keys, types);
        out.println("RDB looks OK!");
        return 0;
    }

    private static void printCounts(PrintStream out, long[] keys, Map<Integer, Long> types) {
        out.println("[info] " + keys[0] + " keys read");
        out.println("[info] " + keys[1] + " expires");
        for (Map.Entry<Integer, Long> t : types.entrySet()) {
            out.println("[info] " + t.getValue() + " " + RdbFormat.typeName(t.getKey()) + " (type " + t.getKey() + ")");
        }
    }
}
