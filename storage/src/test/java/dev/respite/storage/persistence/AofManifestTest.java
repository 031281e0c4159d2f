package dev.respite.storage.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AofManifestTest {
    @Test
    void parsesRedisManifestAndFormatsItBack() {
        String text = "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
                + "file appendonly.aof.2.incr.aof seq 2 type i\n";
        AofManifest m = AofManifest.parse("appendonly.aof", text);
        assertEquals("appendonly.aof.1.base.rdb", m.base().name());
        assertEquals(2, m.incrs().size());
        assertEquals(text, m.format());
    }

    @Test
    void keysMayComeInAnyOrderAndHistoryFilesAreNotData() {
        AofManifest m =
                AofManifest.parse("a.aof", "type b seq 3 file a.aof.3.base.aof\nfile old seq 2 type h\n# note\n");
        assertEquals(3, m.base().seq());
        assertEquals(1, m.files().size());
    }

    @Test
    void rewriteKeepsIncrementalFilesFromTheRewritesStart() {
        AofManifest m = AofManifest.empty("x.aof").withNewIncr().withNewIncr();
        AofManifest.FileEntry base = m.nextBase();
        AofManifest r = m.rewritten(base, m.lastIncr());
        assertEquals("x.aof.1.base.aof", r.base().name());
        assertEquals(1, r.incrs().size());
        assertEquals("x.aof.2.incr.aof", r.lastIncr().name());
        assertEquals("x.aof.3.incr.aof", r.withNewIncr().lastIncr().name());
    }

    @Test
    void rejectsBrokenLines() {
        assertThrows(IllegalArgumentException.class, () -> AofManifest.parse("a", "file x seq 1\n"));
        assertThrows(IllegalArgumentException.class, () -> AofManifest.parse("a", "file x seq one type b\n"));
        assertThrows(
                IllegalArgumentException.class,
                () -> AofManifest.parse("a", "file x seq 2 type i\nfile y seq 1 type i\n"));
        assertNull(AofManifest.parse("a", "").base());
    }
}
