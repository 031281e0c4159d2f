package dev.respite.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an inline command line into arguments with Redis's quoting rules (sdssplitargs): double quotes
 * with backslash escapes including \xHH, single quotes where only \' is special, and a closing quote that
 * must be followed by a space or the end of the line. The same rules read redis.conf lines.
 */
public final class InlineSplitter {
    private InlineSplitter() {}

    /**
     * The arguments of {@code line[0..length)}, or null when its quotes are unbalanced. Redis splits a C string,
     * so a NUL byte ends the line.
     */
    public static byte[][] split(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            if (line[i] == 0) {
                length = i;
                break;
            }
        }
        List<byte[]> out = new ArrayList<>();
        byte[] token = new byte[Math.max(16, length)];
        int p = 0;
        while (true) {
            while (p < length && isSpace(line[p])) {
                p++;
            }
            if (p >= length) {
                return out.toArray(new byte[0][]);
            }
            int n = 0;
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                if (inDouble) {
                    if (p >= length) {
                        return null;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 3 < length && line[p + 1] == 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
                        token[n++] = (byte) (hex(line[p + 2]) * 16 + hex(line[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < length) {
                        p++;
                        token[n++] = switch (line[p]) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> line[p];
                        };
                    } else if (c == '"') {
                        if (p + 1 < length && !isSpace(line[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        token[n++] = c;
                    }
                } else if (inSingle) {
                    if (p >= length) {
                        return null;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 1 < length && line[p + 1] == '\'') {
                        p++;
                        token[n++] = '\'';
                    } else if (c == '\'') {
                        if (p + 1 < length && !isSpace(line[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        token[n++] = c;
                    }
                } else {
                    if (p >= length) {
                        break;
                    }
                    byte c = line[p];
                    switch (c) {
                        case ' ', '\n', '\r', '\t' -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> token[n++] = c;
                    }
                }
                if (p < length) {
                    p++;
                }
            }
            out.add(Arrays.copyOf(token, n));
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }
}
