package dev.respite.storage.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * The list of files that together make the append-only file, in Redis 7's multi-part format: one base
 * file (a snapshot of the dataset as commands) and the incremental files written after it, in order.
 * One line per file: {@code file appendonly.aof.1.base.aof seq 1 type b}. Immutable: a change is a new
 * manifest, written beside the old one and renamed over it.
 */
public final class AofManifest {
    public enum Type {
        BASE('b'),
        INCR('i'),
        HISTORY('h');

        private final char code;

        Type(char code) {
            this.code = code;
        }

        static Type of(String code) {
            for (Type t : values()) {
                if (code.length() == 1 && code.charAt(0) == t.code) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown file type '" + code + "'");
        }
    }

    public record FileEntry(String name, long seq, Type type) {}

    private final String baseName;
    private final FileEntry base;
    private final List<FileEntry> incrs;

    private AofManifest(String baseName, FileEntry base, List<FileEntry> incrs) {
        this.baseName = baseName;
        this.base = base;
        this.incrs = List.copyOf(incrs);
    }

    /** An empty set of files named after {@code appendfilename}, before anything was written. */
    public static AofManifest empty(String baseName) {
        return new AofManifest(baseName, null, List.of());
    }

    /** Parses a manifest; {@code baseName} (appendfilename) names the files created from it later. */
    public static AofManifest parse(String baseName, String text) {
        FileEntry base = null;
        List<FileEntry> incrs = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            if (words.length % 2 != 0) {
                throw new IllegalArgumentException("manifest line " + lineNo + ": keys and values do not pair up");
            }
            String name = null;
            long seq = -1;
            Type type = null;
            for (int i = 0; i < words.length; i += 2) {
                switch (words[i]) {
                    case "file" -> name = words[i + 1];
                    case "seq" -> seq = parseSeq(words[i + 1], lineNo);
                    case "type" -> type = Type.of(words[i + 1]);
                    default -> {
                        // Redis ignores keys it does not know, for forward compatibility; so do we.
                    }
                }
            }
            if (name == null || seq < 1 || type == null) {
                throw new IllegalArgumentException("manifest line " + lineNo + ": needs file, seq and type");
            }
            FileEntry f = new FileEntry(name, seq, type);
            switch (type) {
                case BASE -> {
                    if (base != null) {
                        throw new IllegalArgumentException("manifest line " + lineNo + ": a second base file");
                    }
                    base = f;
                }
                case INCR -> {
                    if (!incrs.isEmpty() && incrs.get(incrs.size() - 1).seq() >= seq) {
                        throw new IllegalArgumentException(
                                "manifest line " + lineNo + ": incremental files out of order");
                    }
                    incrs.add(f);
                }
                case HISTORY -> {
                    // History files are leftovers awaiting deletion; they are not part of the data.
                }
            }
        }
        return new AofManifest(baseName, base, incrs);
    }

    private static long parseSeq(String s, int lineNo) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("manifest line " + lineNo + ": bad seq '" + s + "'");
        }
    }

    public String format() {
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            line(sb, base);
        }
        for (FileEntry f : incrs) {
            line(sb, f);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, FileEntry f) {
        sb.append("file ")
                .append(f.name())
                .append(" seq ")
                .append(f.seq())
                .append(" type ")
                .append(f.type().code)
                .append('\n');
    }

    public FileEntry base() {
        return base;
    }

    public List<FileEntry> incrs() {
        return incrs;
    }

    /** The files to load, in order: base first. */
    public List<FileEntry> files() {
        List<FileEntry> all = new ArrayList<>();
        if (base != null) {
            all.add(base);
        }
        all.addAll(incrs);
        return all;
    }

    /** This manifest with one more incremental file, the next in sequence, at the end. */
    public AofManifest withNewIncr() {
        long seq = incrs.isEmpty() ? 1 : incrs.get(incrs.size() - 1).seq() + 1;
        List<FileEntry> more = new ArrayList<>(incrs);
        more.add(new FileEntry(baseName + "." + seq + ".incr.aof", seq, Type.INCR));
        return new AofManifest(baseName, base, more);
    }

    /** The next base file's entry (not yet part of any manifest). */
    public FileEntry nextBase() {
        long seq = base == null ? 1 : base.seq() + 1;
        return new FileEntry(baseName + "." + seq + ".base.aof", seq, Type.BASE);
    }

    /**
     * The manifest after a rewrite: {@code newBase} replaces the base and every incremental file before
     * {@code firstKept}, whose writes the new base already holds.
     */
    public AofManifest rewritten(FileEntry newBase, FileEntry firstKept) {
        List<FileEntry> kept = new ArrayList<>();
        for (FileEntry f : incrs) {
            if (f.seq() >= firstKept.seq()) {
                kept.add(f);
            }
        }
        return new AofManifest(baseName, newBase, kept);
    }

    /** The last incremental file: where new writes go. */
    public FileEntry lastIncr() {
        return incrs.isEmpty() ? null : incrs.get(incrs.size() - 1);
    }
}
