package dev.respite.server.diagnostics;

import dev.respite.server.net.Client;
import java.util.ArrayList;
import java.util.List;

/** Clients in MONITOR mode, and the line Redis sends them for each command the server runs. */
public final class Monitors {
    private final List<Client> clients = new ArrayList<>();

    public void add(Client c) {
        if (!clients.contains(c)) {
            clients.add(c);
        }
    }

    public void remove(Client c) {
        clients.remove(c);
    }

    public boolean isEmpty() {
        return clients.isEmpty();
    }

    public boolean contains(Client c) {
        return clients.contains(c);
    }

    /**
     * Feeds one command: {@code +1339518083.107412 [0 127.0.0.1:60866] "keys" "*"}; a script's commands show
     * {@code lua} and a Unix socket client {@code unix:PATH} in place of the address.
     */
    public void feed(Client from, byte[][] args) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        StringBuilder sb = new StringBuilder(64);
        sb.append(micros / 1_000_000).append('.');
        String frac = Long.toString(micros % 1_000_000);
        sb.append("000000", 0, 6 - frac.length()).append(frac);
        sb.append(" [").append(from.db().index()).append(' ');
        if (from.isScriptClient()) {
            sb.append("lua");
        } else if (from.isUnixSocket()) {
            sb.append("unix:").append(from.unixSocketPath());
        } else {
            sb.append(from.address());
        }
        sb.append(']');
        for (byte[] a : args) {
            sb.append(' ');
            quote(sb, a);
        }
        String line = sb.toString();
        for (Client m : clients) {
            if (m != from && !m.isClosing()) {
                m.reply().simple(line);
                m.scheduleFlush();
            }
        }
    }

    /** Redis's sdscatrepr: printable bytes as they are, the rest escaped. */
    static void quote(StringBuilder sb, byte[] a) {
        sb.append('"');
        for (byte b : a) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 32 && c < 127) {
                        sb.append((char) c);
                    } else {
                        sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    }
                }
            }
        }
        sb.append('"');
    }
}
