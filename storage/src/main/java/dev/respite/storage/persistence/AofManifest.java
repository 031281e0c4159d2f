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

        /** The type a manifest's {@code type} value names (by its first character, as Redis reads it), or null. */
        static Type of(String code) {
            for (Type t : values()) {
                if (!code.isEmpty() && code.charAt(0) == t.code) {
                    return t;
                }
            }
            return null;
        }
    }

    public record FileEntry(String name, long seq, Type type) {}

    /** Redis reads a manifest line into a buffer of this many bytes; a longer line is refused. */
    private static final int MAX_LINE = 1024;

    private static final String INVALID = "Invalid AOF manifest file format";

    private final String baseName;
    private final FileEntry base;
    private final List<FileEntry> history;
    private final List<FileEntry> incrs;

    private AofManifest(String baseName, FileEntry base, List<FileEntry> history, List<FileEntry> incrs) {
        this.baseName = baseName;
        this.base = base;
        this.history = List.copyOf(history);
        this.incrs = List.copyOf(incrs);
    }

    /** An empty set of files named after {@code appendfilename}, before anything was written. */
    public static AofManifest empty(String baseName) {
        return new AofManifest(baseName, null, List.of(), List.of());
    }

    /**
     * Parses a manifest as strictly as Redis does at start-up; {@code baseName} (appendfilename) names the
     * files created from it later. Throws {@link AofManifestException} with Redis's message for an empty
     * manifest, a line that is too long or lacks its line break, a blank line, a line whose words do not
     * pair up or lack file, seq or type, a path for a file name, a second base, incremental sequence numbers
     * that do not increase, and an unknown type. Lines starting with '#' are comments; keys other than
     * file, seq and type are ignored (forward compatibility).
     */
    public static AofManifest parse(String baseName, String text) {
        if (text.isEmpty()) {
            throw new AofManifestException("Found an empty AOF manifest", 0, null);
        }
        FileEntry base = null;
        List<FileEntry> history = new ArrayList<>();
        List<FileEntry> incrs = new ArrayList<>();
        int lineNo = 0;
        int at = 0;
        while (at < text.length()) {
            int nl = text.indexOf('\n', at);
            String raw = nl < 0 ? text.substring(at) : text.substring(at, nl);
            at = nl < 0 ? text.length() : nl + 1;
            lineNo++;
            if (raw.startsWith("#")) {
                continue;
            }
            String line = raw.strip();
            if (nl < 0 || raw.length() >= MAX_LINE) {
                throw new AofManifestException("The AOF manifest file contains too long line", lineNo, line);
            }
            if (line.isEmpty()) {
                throw new AofManifestException(INVALID, lineNo, line);
            }
            List<String> words = ManifestWords.split(line);
            if (words == null || words.size() < 6 || words.size() % 2 != 0) {
                throw new AofManifestException(INVALID, lineNo, line);
            }
            String name = null;
            long seq = 0;
            String type = null;
            for (int i = 0; i < words.size(); i += 2) {
                String key = words.get(i);
                String value = words.get(i + 1);
                if (key.equalsIgnoreCase("file")) {
                    name = value;
                    if (name.contains("/")) {
                        throw new AofManifestException("File can't be a path, just a filename", lineNo, line);
                    }
                } else if (key.equalsIgnoreCase("seq")) {
                    seq = leadingNumber(value);
                } else if (key.equalsIgnoreCase("type")) {
                    type = value;
                }
            }
            if (name == null || name.isEmpty() || seq == 0 || type == null || type.isEmpty()) {
                throw new AofManifestException(INVALID, lineNo, line);
            }
            Type t = Type.of(type);
            if (t == null) {
                throw new AofManifestException("Unknown AOF file type", lineNo, line);
            }
            FileEntry f = new FileEntry(name, seq, t);
            switch (t) {
                case BASE -> {
                    if (base != null) {
                        throw new AofManifestException("Found duplicate base file information", lineNo, line);
                    }
                    base = f;
                }
                case INCR -> {
                    long last =
                            incrs.isEmpty() ? 0 : incrs.get(incrs.size() - 1).seq();
                    if (seq <= last) {
                        throw new AofManifestException("Found a non-monotonic sequence number", lineNo, line);
                    }
                    incrs.add(f);
                }
                case HISTORY -> history.add(f);
            }
        }
        return new AofManifest(baseName, base, history, incrs);
    }

    /** The number a value starts with, 0 when none (C's atoll, which Redis reads seq with). */
    private static long leadingNumber(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = i < s.length() && s.charAt(i) == '-';
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        long n = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && n < Long.MAX_VALUE / 10) {
            n = n * 10 + (s.charAt(i++) - '0');
        }
        return negative ? -n : n;
    }

    public String format() {
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            line(sb, base);
        }
        for (FileEntry f : history) {
            line(sb, f);
        }
        for (FileEntry f : incrs) {
            line(sb, f);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, FileEntry f) {
        sb.append("file ")
                .append(ManifestWords.quote(f.name()))
                .append(" seq ")
                .append(f.seq())
                .append(" type ")
                .append(f.type().code)
                .append('\n');
    }

    /** appendfilename: the name the files are made from. */
    public String baseName() {
        return baseName;
    }

    public FileEntry base() {
        return base;
    }

    public List<FileEntry> incrs() {
        return incrs;
    }

    /** Files of earlier bases and incremental files awaiting deletion: listed, not loaded. */
    public List<FileEntry> history() {
        return history;
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
        return new AofManifest(baseName, base, history, more);
    }

    /**
     * The next base file's entry (not yet part of any manifest): {@code .base.rdb} when it is written as an
     * RDB snapshot (aof-use-rdb-preamble), else {@code .base.aof}.
     */
    public FileEntry nextBase(boolean rdb) {
        long seq = base == null ? 1 : base.seq() + 1;
        return new FileEntry(baseName + "." + seq + ".base." + (rdb ? "rdb" : "aof"), seq, Type.BASE);
    }

    /** The manifest of an old single-file append-only file moved into the directory: that file is the base. */
    public static AofManifest upgraded(String baseName) {
        return new AofManifest(baseName, new FileEntry(baseName, 1, Type.BASE), List.of(), List.of());
    }

    /**
     * The manifest after a rewrite: {@code newBase} replaces the base and every incremental file before
     * {@code firstKept} (all of them when it is null: a rewrite with appendonly off), whose writes the new base
     * already holds. The replaced files become history, listed before the earlier history as Redis lists them,
     * until {@link #withoutHistory()} says their files are deleted.
     */
    public AofManifest rewritten(FileEntry newBase, FileEntry firstKept) {
        List<FileEntry> kept = new ArrayList<>();
        List<FileEntry> replaced = new ArrayList<>();
        for (FileEntry f : incrs) {
            if (firstKept != null && f.seq() >= firstKept.seq()) {
                kept.add(f);
            } else {
                replaced.add(new FileEntry(f.name(), f.seq(), Type.HISTORY));
            }
        }
        if (base != null && !base.name().equals(newBase.name())) {
            replaced.add(new FileEntry(base.name(), base.seq(), Type.HISTORY));
        }
        replaced.addAll(history);
        return new AofManifest(baseName, newBase, replaced, kept);
    }

    /** This manifest once the files its history lists are deleted. */
    public AofManifest withoutHistory() {
        return new AofManifest(baseName, base, List.of(), incrs);
    }

    /** The last incremental file: where new writes go. */
    public FileEntry lastIncr() {
        return incrs.isEmpty() ? null : incrs.get(incrs.size() - 1);
    }
}
