package dev.respite.storage.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.storage.Entry;
import dev.respite.storage.Keyspace;
import dev.respite.storage.types.EncodingLimits;
import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.ListValue;
import dev.respite.storage.types.SetValue;
import dev.respite.storage.types.SortedSetValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Values of every type and encoding, with and without expiry, survive writer -> reader unchanged. */
class RdbRoundTripTest {
    private static final long NOW = 1_700_000_000_000L;
    private final EncodingLimits limits = new EncodingLimits();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, Object> sampleValues() {
        Map<String, Object> v = new TreeMap<>();
        v.put("str:empty", new byte[0]);
        v.put("str:text", b("hello world"));
        v.put("str:int8", b("-12"));
        v.put("str:int16", b("3000"));
        v.put("str:int32", b("-2000000000"));
        v.put("str:int64-as-text", b("9223372036854775807"));
        v.put("str:leading-zero", b("007"));
        v.put("str:lzf", b("abc".repeat(1000)));
        byte[] binary = new byte[256];
        for (int i = 0; i < 256; i++) {
            binary[i] = (byte) i;
        }
        v.put("str:binary", binary);
        ListValue small = new ListValue(limits);
        for (String s : List.of("a", "1", "-5", "b")) {
            small.pushTail(b(s));
        }
        v.put("list:listpack", small);
        ListValue big = new ListValue(limits);
        for (int i = 0; i < 5000; i++) {
            big.pushTail(b("element-" + i));
        }
        big.pushTail(new byte[20_000]);
        v.put("list:quicklist", big);
        SetValue ints = new SetValue(limits);
        for (int i = -100; i < 100; i++) {
            ints.add(b(Integer.toString(i * 1000)));
        }
        v.put("set:intset", ints);
        SetValue words = new SetValue(limits);
        for (String s : List.of("x", "y", "z")) {
            words.add(b(s));
        }
        v.put("set:listpack", words);
        SetValue large = new SetValue(limits);
        for (int i = 0; i < 1000; i++) {
            large.add(b("member:" + i));
        }
        v.put("set:hashtable", large);
        SortedSetValue zs = new SortedSetValue(limits);
        zs.add(b("a"), 1.5, 0);
        zs.add(b("b"), Double.NEGATIVE_INFINITY, 0);
        zs.add(b("c"), Double.POSITIVE_INFINITY, 0);
        zs.add(b("d"), -0.1, 0);
        v.put("zset:listpack", zs);
        SortedSetValue zb = new SortedSetValue(limits);
        for (int i = 0; i < 1000; i++) {
            zb.add(b("m" + i), i / 7.0, 0);
        }
        v.put("zset:skiplist", zb);
        HashValue hs = new HashValue(limits);
        hs.put(b("f1"), b("v1"));
        hs.put(b("f2"), b("12"));
        v.put("hash:listpack", hs);
        HashValue hb = new HashValue(limits);
        for (int i = 0; i < 1000; i++) {
            hb.put(b("field" + i), b("value" + i));
        }
        hb.put(b("long"), b("x".repeat(500)));
        v.put("hash:hashtable", hb);
        return v;
    }

    /** A comparable picture of a value: its type and contents independent of encoding. */
    static Object contents(Object value) {
        if (value instanceof byte[] s) {
            return "string:" + new String(s, StandardCharsets.ISO_8859_1);
        } else if (value instanceof ListValue l) {
            List<String> out = new ArrayList<>();
            for (Iterator<byte[]> it = l.iterator(); it.hasNext(); ) {
                out.add(new String(it.next(), StandardCharsets.ISO_8859_1));
            }
            return "list:" + out;
        } else if (value instanceof SetValue s) {
            TreeSet<String> out = new TreeSet<>();
            for (byte[] m : s) {
                out.add(new String(m, StandardCharsets.ISO_8859_1));
            }
            return "set:" + out;
        } else if (value instanceof SortedSetValue z) {
            List<String> out = new ArrayList<>();
            z.forEach((m, score) -> out.add(new String(m, StandardCharsets.ISO_8859_1) + "=" + score));
            return "zset:" + out;
        } else if (value instanceof HashValue h) {
            TreeMap<String, String> out = new TreeMap<>();
            h.forEach((f, fo, fl, v, vo, vl) -> out.put(
                    new String(f, fo, fl, StandardCharsets.ISO_8859_1),
                    new String(v, vo, vl, StandardCharsets.ISO_8859_1)));
            return "hash:" + out;
        }
        throw new AssertionError(value);
    }

    @Test
    void everyTypeAndEncodingSurvivesAFileRoundTrip() throws IOException {
        Map<String, Object> values = sampleValues();
        Keyspace source = new Keyspace(16, () -> NOW);
        int i = 0;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            int db = i % 3 == 0 ? 0 : 5;
            Entry entry = source.db(db).add(b(e.getKey()), e.getValue());
            if (i % 2 == 0) {
                source.db(db).setExpireAt(entry, NOW + 10_000 + i);
            }
            i++;
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        SnapshotFile.writeAll(source, new RdbWriter(file), "7.2.5");
        byte[] bytes = file.toByteArray();
        assertEquals("REDIS0010", new String(bytes, 0, 9, StandardCharsets.US_ASCII));

        Keyspace loaded = new Keyspace(16, () -> NOW);
        SnapshotFile.LoadResult r =
                SnapshotFile.load(new ByteArrayInputStream(bytes), bytes.length, loaded, (k, b, t) -> {});
        assertEquals(values.size(), r.keys());
        assertEquals(10, r.version());
        for (int db : new int[] {0, 5}) {
            source.db(db).forEach(e -> {
                Entry got = loaded.db(db).peek(e.key());
                assertEquals(contents(e.value()), contents(got.value()), new String(e.key(), StandardCharsets.UTF_8));
                assertEquals(e.expireAt(), got.expireAt());
            });
            assertEquals(source.db(db).size(), loaded.db(db).size());
            assertEquals(source.db(db).expiringKeys(), loaded.db(db).expiringKeys());
        }
    }

    @Test
    void everyTypeSurvivesADumpRoundTrip() throws IOException {
        for (Map.Entry<String, Object> e : sampleValues().entrySet()) {
            byte[] payload = DumpPayload.serialize(e.getValue());
            assertTrue(DumpPayload.isIntact(payload), e.getKey());
            assertEquals(10, payload[payload.length - 10]);
            assertEquals(contents(e.getValue()), contents(DumpPayload.deserialize(payload, limits, true)), e.getKey());
        }
    }

    @Test
    void expiredKeysAreNotLoaded() throws IOException {
        Keyspace source = new Keyspace(16, () -> NOW);
        Entry gone = source.db(0).add(b("gone"), b("v"));
        source.db(0).setExpireAt(gone, NOW + 5);
        source.db(0).add(b("kept"), b("v"));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        SnapshotFile.writeAll(source, new RdbWriter(file), "7.2.5");
        Keyspace later = new Keyspace(16, () -> NOW + 10);
        byte[] bytes = file.toByteArray();
        SnapshotFile.LoadResult r =
                SnapshotFile.load(new ByteArrayInputStream(bytes), bytes.length, later, (k, b, t) -> {});
        assertEquals(1, r.keys());
        assertEquals(1, r.expiredSkipped());
        assertNull(later.db(0).peek(b("gone")));
    }

    @Test
    void saveReplacesTheFileAtomically(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        Keyspace ks = new Keyspace(16, () -> NOW);
        ks.db(0).add(b("k"), b("v1"));
        java.nio.file.Path file = dir.resolve("dump.rdb");
        SnapshotFile.save(ks, file, "7.2.5");
        ks.db(0).set(b("k"), b("v2"));
        SnapshotFile.save(ks, file, "7.2.5");
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        Keyspace loaded = new Keyspace(16, () -> NOW);
        SnapshotFile.load(file, loaded, (k, b, t) -> {});
        assertArrayEquals(b("v2"), (byte[]) loaded.db(0).get(b("k")));
    }

    /** A load leaves nothing per key but the key and its value: every key is shown in the same entry object. */
    @Test
    void theReaderShowsEveryKeyInOneEntry() throws IOException {
        Keyspace source = new Keyspace(16, () -> NOW);
        for (int i = 0; i < 100; i++) {
            Entry e = source.db(i % 2).add(b("k" + i), b("v" + i));
            if (i % 3 == 0) {
                source.db(i % 2).setExpireAt(e, NOW + 1000 + i);
            }
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        SnapshotFile.writeAll(source, new RdbWriter(file), "7.2.5");
        byte[] bytes = file.toByteArray();
        List<RdbEntry> shown = new ArrayList<>();
        Keyspace loaded = new Keyspace(16, () -> NOW);
        KeyspaceLoader target = new KeyspaceLoader(loaded, (db, key) -> {}, false);
        new RdbReader(new ByteArrayInputStream(bytes), bytes.length, limits).read(e -> {
            shown.add(e);
            target.entry(e, 0);
        });
        assertEquals(100, shown.size());
        assertTrue(shown.stream().allMatch(e -> e == shown.get(0)));
        for (int db = 0; db < 2; db++) {
            int d = db;
            source.db(db).forEach(e -> {
                Entry got = loaded.db(d).peek(e.key());
                assertArrayEquals((byte[]) e.value(), (byte[]) got.value());
                assertEquals(e.expireAt(), got.expireAt());
            });
            assertEquals(50, loaded.db(db).size());
        }
    }
}
