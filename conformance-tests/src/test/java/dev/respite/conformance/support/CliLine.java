package dev.respite.conformance.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines as redis-cli reads and writes them: arguments separated by spaces, {@code "..."} with the
 * escapes {@code \n \r \t \b \a \\ \" \xHH}, {@code '...'} with only {@code \'}. So {@code ""} is an empty
 * argument and {@code "a b"} one argument with a space, and any byte string can be written as a line.
 */
public final class CliLine {
    private CliLine() {}

    /** Splits a line into arguments (as UTF-8 text; {@code \xHH} escapes above 0x7f become that byte). */
    public static List<byte[]> split(String line) {
        byte[] in = line.getBytes(StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (true) {
            while (i < in.length && in[i] == ' ') {
                i++;
            }
            if (i >= in.length) {
                return out;
            }
            ByteArrayOutputStream arg = new ByteArrayOutputStream();
            if (in[i] == '"') {
                i = doubleQuoted(in, i + 1, arg, line);
            } else if (in[i] == '\'') {
                i = singleQuoted(in, i + 1, arg, line);
            } else {
                while (i < in.length && in[i] != ' ') {
                    arg.write(in[i++]);
                }
            }
            out.add(arg.toByteArray());
        }
    }

    /** {@link #split} as strings, for tests whose arguments are text. */
    public static String[] splitToStrings(String line) {
        return split(line).stream()
                .map(b -> new String(b, StandardCharsets.UTF_8))
                .toArray(String[]::new);
    }

    private static int doubleQuoted(byte[] in, int i, ByteArrayOutputStream arg, String line) {
        while (i < in.length) {
            byte c = in[i];
            if (c == '"') {
                return closed(in, i + 1, line);
            }
            if (c == '\\' && i + 1 < in.length) {
                byte e = in[i + 1];
                if (e == 'x' && i + 3 < in.length && hex(in[i + 2]) >= 0 && hex(in[i + 3]) >= 0) {
                    arg.write(hex(in[i + 2]) * 16 + hex(in[i + 3]));
                    i += 4;
                    continue;
                }
                arg.write(
                        switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        });
                i += 2;
                continue;
            }
            arg.write(c);
            i++;
        }
        throw new IllegalArgumentException("unbalanced quotes: " + line);
    }

    private static int singleQuoted(byte[] in, int i, ByteArrayOutputStream arg, String line) {
        while (i < in.length) {
            byte c = in[i];
            if (c == '\'') {
                return closed(in, i + 1, line);
            }
            if (c == '\\' && i + 1 < in.length && in[i + 1] == '\'') {
                arg.write('\'');
                i += 2;
                continue;
            }
            arg.write(c);
            i++;
        }
        throw new IllegalArgumentException("unbalanced quotes: " + line);
    }

    /** A closing quote must be followed by a space or the end of the line, as redis-cli requires. */
    private static int closed(byte[] in, int i, String line) {
        if (i < in.length && in[i] != ' ') {
            throw new IllegalArgumentException("closing quote must be followed by a space: " + line);
        }
        return i;
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    /** One line that {@link #split} (and redis-cli) turns back into exactly these arguments. */
    public static String quote(byte[]... args) {
        StringBuilder sb = new StringBuilder();
        for (byte[] a : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quoteOne(a));
        }
        return sb.toString();
    }

    private static String quoteOne(byte[] a) {
        boolean plain = a.length > 0 && a[0] != '"' && a[0] != '\'';
        for (byte b : a) {
            if (b <= ' ' || b >= 0x7f || b == '\\') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return new String(a, StandardCharsets.US_ASCII);
        }
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : a) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < ' ' || c >= 0x7f) {
                        sb.append(String.format("\\x%02x", c));
                    } else {
                        sb.append((char) c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
