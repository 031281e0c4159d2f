package dev.respite.server.scripting;

import dev.respite.storage.Repr;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * How the script debugger writes things, as Redis's does: strings quoted with C escapes, command replies in
 * a readable one-line form, and C's lenient {@code atoi} and strict integer parsing for its arguments. Text
 * is carried as ISO-8859-1 strings, one char per byte, so that binary values pass through unchanged.
 */
final class DebuggerText {
    private DebuggerText() {}

    /** A string in double quotes with {@code \\}, {@code \"}, {@code \n}... and {@code \xHH} for the rest. */
    static void quote(StringBuilder out, ByteBuf in, int from, int length) {
        out.append('"');
        for (int i = from; i < from + length; i++) {
            Repr.append(out, in.getByte(i) & 0xff);
        }
        out.append('"');
    }

    /** One command reply (RESP2 or RESP3) in the debugger's form: "+OK" quoted, arrays in brackets... */
    static String reply(ByteBuf reply, int from) {
        StringBuilder out = new StringBuilder();
        ByteBuf in = reply.duplicate().readerIndex(from);
        value(out, in);
        return out.toString();
    }

    private static void value(StringBuilder out, ByteBuf in) {
        if (!in.isReadable()) {
            return;
        }
        int start = in.readerIndex();
        byte type = in.readByte();
        String line = line(in);
        switch (type) {
            case ':' -> out.append(line);
            case '$' -> {
                long len = Long.parseLong(line);
                if (len == -1) {
                    out.append("NULL");
                } else {
                    quote(out, in, in.readerIndex(), (int) len);
                    in.skipBytes((int) len + 2);
                }
            }
            case '+', '-' -> quote(out, in, start, line.length() + 1);
            case '*' -> {
                long n = Long.parseLong(line);
                if (n == -1) {
                    out.append("NULL");
                } else {
                    elements(out, in, n, "[", "]");
                }
            }
            case '~' -> elements(out, in, Long.parseLong(line), "~(", ")");
            case '%' -> {
                long n = Long.parseLong(line);
                out.append('{');
                for (long i = 0; i < n; i++) {
                    value(out, in);
                    out.append(" => ");
                    value(out, in);
                    if (i != n - 1) {
                        out.append(',');
                    }
                }
                out.append('}');
            }
            case '_' -> out.append("(null)");
            case '#' -> out.append(line.startsWith("t") ? "#true" : "#false");
            case ',' -> out.append("(double) ").append(line);
            case '=' -> in.skipBytes(Integer.parseInt(line) + 2);
            default -> {
                // Big numbers and other RESP3 types: Redis's debugger writes nothing for them.
            }
        }
    }

    private static void elements(StringBuilder out, ByteBuf in, long n, String open, String close) {
        out.append(open);
        for (long i = 0; i < n; i++) {
            value(out, in);
            if (i != n - 1) {
                out.append(',');
            }
        }
        out.append(close);
    }

    private static String line(ByteBuf in) {
        int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\r');
        if (end < 0) {
            end = in.writerIndex();
        }
        String s = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.ISO_8859_1);
        in.readerIndex(Math.min(in.writerIndex(), end + 2));
        return s;
    }

    /** C's atoi: leading blanks, a sign, then digits up to the first other character; 0 when none. */
    static int atoi(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            if (v > Integer.MAX_VALUE + 1L) {
                v = Integer.MAX_VALUE + 1L;
            }
            i++;
        }
        return (int) (negative ? -v : v);
    }

    /** Redis's strict integer parsing (string2l): digits with an optional minus, no leading zeros or blanks. */
    static Long strictLong(String s) {
        if (s.isEmpty() || s.length() > 20) {
            return null;
        }
        if (s.equals("0")) {
            return 0L;
        }
        int i = s.charAt(0) == '-' ? 1 : 0;
        if (i == s.length() || s.charAt(i) < '1' || s.charAt(i) > '9') {
            return null;
        }
        for (int j = i; j < s.length(); j++) {
            if (s.charAt(j) < '0' || s.charAt(j) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
