package dev.respite.conformance.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.resps.Tuple;

/**
 * Describes keys of a real Redis by their contents (type, elements, and optionally whether and roughly when
 * they expire), so that values which went through Respite can be compared with the originals whatever
 * encoding each side chose. Pipelined: fast enough for a hundred thousand keys.
 */
public final class RedisContents {
    private RedisContents() {}

    /** Key to description, for every key of the selected database. */
    public static Map<String, String> of(Jedis j, List<String> keys, boolean withTtl) {
        Pipeline p = j.pipelined();
        List<Response<String>> types = new ArrayList<>();
        List<Response<Long>> ttls = new ArrayList<>();
        for (String k : keys) {
            types.add(p.type(k));
            ttls.add(p.pttl(k));
        }
        p.sync();
        List<Response<?>> values = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            values.add(
                    switch (types.get(i).get()) {
                        case "string" -> p.get(k);
                        case "list" -> p.lrange(k, 0, -1);
                        case "set" -> p.smembers(k);
                        case "zset" -> p.zrangeWithScores(k, 0, -1);
                        case "hash" -> p.hgetAll(k);
                        default -> p.type(k);
                    });
        }
        p.sync();
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String type = types.get(i).get();
            Object v = values.get(i).get();
            String contents = switch (type) {
                case "set" -> new TreeSet<>((java.util.Set<?>) v).toString();
                case "hash" -> new TreeMap<>((Map<?, ?>) v).toString();
                case "zset" -> zset((List<?>) v);
                default -> String.valueOf(v);
            };
            long ttl = ttls.get(i).get();
            // TTLs are compared to the minute: the two servers read them at different moments.
            String expiry = !withTtl ? "" : ttl < 0 ? " ttl=" + ttl : " ttl~" + Math.round(ttl / 60_000.0) + "min";
            out.put(keys.get(i), type + expiry + " " + contents);
        }
        return out;
    }

    private static String zset(List<?> tuples) {
        StringBuilder sb = new StringBuilder("[");
        for (Object o : tuples) {
            Tuple t = (Tuple) o;
            sb.append(t.getElement()).append('=').append(t.getScore()).append(',');
        }
        return sb.append(']').toString();
    }

    /** Every key of the selected database, sorted. */
    public static List<String> keys(Jedis j) {
        return new ArrayList<>(new TreeSet<>(j.keys("*")));
    }
}
