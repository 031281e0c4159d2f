package dev.respite.storage;

/** Bytes written as Redis's sdscatrepr writes them: C escapes for the usual controls, \xHH for the rest. */
public final class Repr {
    private Repr() {}

    /** Appends byte {@code b} (0-255), escaped when it is a quote, a backslash or not printable ASCII. */
    public static void append(StringBuilder out, int b) {
        switch (b) {
            case '\\' -> out.append("\\\\");
            case '"' -> out.append("\\\"");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 7 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            default -> {
                if (b >= 0x20 && b < 0x7f) {
                    out.append((char) b);
                } else {
                    out.append(String.format("\\x%02x", b));
                }
            }
        }
    }
}
