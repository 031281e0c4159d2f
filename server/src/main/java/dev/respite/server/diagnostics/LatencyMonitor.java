package dev.respite.server.diagnostics;

import dev.respite.protocol.RespWriter;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LATENCY's event history: for each event ("command", "fast-command") the samples of the last 160
 * seconds in which it took at least latency-monitor-threshold milliseconds, as Redis keeps them.
 */
public final class LatencyMonitor {
    private static final int HISTORY = 160;
    private static final int GRAPH_COLUMNS = 80;

    private static final class Event {
        final ArrayDeque<long[]> samples = new ArrayDeque<>();
        long maxMillis;
    }

    private final Map<String, Event> events = new LinkedHashMap<>();

    /** Adds a sample if {@code millis} reaches a non-zero threshold. */
    public void consider(String event, long millis, long thresholdMillis) {
        if (thresholdMillis <= 0 || millis < thresholdMillis) {
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        Event e = events.computeIfAbsent(event, k -> new Event());
        long[] last = e.samples.peekLast();
        if (last != null && last[0] == now) {
            last[1] = Math.max(last[1], millis);
        } else {
            e.samples.addLast(new long[] {now, millis});
            if (e.samples.size() > HISTORY) {
                e.samples.removeFirst();
            }
        }
        e.maxMillis = Math.max(e.maxMillis, millis);
    }

    /** LATENCY LATEST: event, time of latest sample, its latency, the all-time maximum. */
    public void writeLatest(RespWriter r) {
        r.array(events.size());
        for (Map.Entry<String, Event> en : events.entrySet()) {
            long[] last = en.getValue().samples.peekLast();
            r.array(4);
            r.bulk(en.getKey());
            r.integer(last[0]);
            r.integer(last[1]);
            r.integer(en.getValue().maxMillis);
        }
    }

    /** LATENCY HISTORY event: [time, latency] pairs, oldest first. */
    public void writeHistory(RespWriter r, String event) {
        Event e = events.get(event);
        if (e == null) {
            r.array(0);
            return;
        }
        r.array(e.samples.size());
        for (long[] s : e.samples) {
            r.array(2);
            r.integer(s[0]);
            r.integer(s[1]);
        }
    }

    /**
     * LATENCY GRAPH event: a header with the samples' high and low and the all-time high, then the sparkline
     * labelled with how long ago each sample was taken; null when the event has no samples.
     */
    public String graph(String event) {
        Event e = events.get(event);
        if (e == null) {
            return null;
        }
        long now = System.currentTimeMillis() / 1000;
        Sparkline line = new Sparkline();
        long high = 0;
        long low = 0;
        for (long[] s : e.samples) {
            high = line.isEmpty() ? s[1] : Math.max(high, s[1]);
            low = line.isEmpty() ? s[1] : Math.min(low, s[1]);
            line.add(s[1], ago(now - s[0]));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(event)
                .append(" - high ")
                .append(high)
                .append(" ms, low ")
                .append(low)
                .append(" ms (all time high ")
                .append(e.maxMillis)
                .append(" ms)\n");
        sb.append("-".repeat(GRAPH_COLUMNS)).append('\n');
        line.render(sb, GRAPH_COLUMNS);
        return sb.toString();
    }

    private static String ago(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        } else if (seconds < 3600) {
            return seconds / 60 + "m";
        } else if (seconds < 86400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }

    /** LATENCY RESET [event...]: returns how many event histories were dropped. */
    public int reset(Iterable<String> names, boolean all) {
        if (all) {
            int n = events.size();
            events.clear();
            return n;
        }
        int n = 0;
        for (String name : names) {
            if (events.remove(name) != null) {
                n++;
            }
        }
        return n;
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }
}
