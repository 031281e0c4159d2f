package dev.respite.storage.persistence;

import dev.respite.storage.Repr;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The word syntax of a manifest line, as Redis reads and writes it: words separated by blanks, a word in
 * double quotes may hold blanks and C-style escapes ({@code \n}, {@code \x41}...), one in single quotes
 * only {@code \'}. A file name that needs it is written quoted, so any name survives the round trip.
 */
final class ManifestWords {
    private ManifestWords() {}

    /** The words of {@code line}, or null when a quote is not closed or is followed by something other than a blank. */
    static List<String> split(String line) {
        byte[] s = line.getBytes(StandardCharsets.UTF_8);
        List<String> words = new ArrayList<>();
        int i = 0;
        while (true) {
            while (i < s.length && isSpace(s[i])) {
                i++;
            }
            if (i == s.length) {
                return words;
            }
            ByteArrayOutputStream word = new ByteArrayOutputStream();
            boolean done = false;
            while (!done) {
                if (i == s.length) {
                    break;
                }
                byte c = s[i];
                if (c == '"' || c == '\'') {
                    int end = c == '"' ? doubleQuoted(s, i + 1, word) : singleQuoted(s, i + 1, word);
                    if (end < 0 || (end + 1 < s.length && !isSpace(s[end + 1]))) {
                        return null;
                    }
                    i = end + 1;
                    done = true;
                } else if (isSpace(c)) {
                    done = true;
                } else {
                    word.write(c);
                    i++;
                }
            }
            words.add(word.toString(StandardCharsets.UTF_8));
        }
    }

    /** Reads up to the closing quote; its index, or -1 when there is none. */
    private static int doubleQuoted(byte[] s, int i, ByteArrayOutputStream word) {
        while (i < s.length) {
            byte c = s[i];
            if (c == '\\' && i + 3 < s.length && s[i + 1] == 'x' && hex(s[i + 2]) >= 0 && hex(s[i + 3]) >= 0) {
                word.write(hex(s[i + 2]) * 16 + hex(s[i + 3]));
                i += 4;
            } else if (c == '\\' && i + 1 < s.length) {
                byte e = s[i + 1];
                word.write(
                        switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        });
                i += 2;
            } else if (c == '"') {
                return i;
            } else {
                word.write(c);
                i++;
            }
        }
        return -1;
    }

    private static int singleQuoted(byte[] s, int i, ByteArrayOutputStream word) {
        while (i < s.length) {
            byte c = s[i];
            if (c == '\\' && i + 1 < s.length && s[i + 1] == '\'') {
                word.write('\'');
                i += 2;
            } else if (c == '\'') {
                return i;
            } else {
                word.write(c);
                i++;
            }
        }
        return -1;
    }

    /** {@code name} as a manifest word: as it is, or quoted and escaped when it holds blanks, quotes or controls. */
    static String quote(String name) {
        byte[] s = name.getBytes(StandardCharsets.UTF_8);
        boolean plain = s.length > 0;
        for (byte c : s) {
            if (c == '\\' || c == '"' || c == '\'' || isSpace(c) || c < 0x21 || c > 0x7e) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return name;
        }
        StringBuilder out = new StringBuilder("\"");
        for (byte c : s) {
            Repr.append(out, c & 0xff);
        }
        return out.append('"').toString();
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static int hex(byte c) {
        return Character.digit(c, 16);
    }
}
