package dev.respite.storage.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
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
    void keysMayComeInAnyOrderInAnyCaseAndHistoryFilesAreListedNotLoaded() {
        AofManifest m = AofManifest.parse(
                "a.aof", "TYPE b Seq 3 file a.aof.3.base.aof\nfile old seq 2 type h\n# note\nfile n seq 4 type i\n");
        assertEquals(3, m.base().seq());
        assertEquals(
                List.of("a.aof.3.base.aof", "n"),
                m.files().stream().map(AofManifest.FileEntry::name).toList());
        assertEquals("old", m.history().get(0).name());
        assertEquals("file a.aof.3.base.aof seq 3 type b\nfile old seq 2 type h\nfile n seq 4 type i\n", m.format());
    }

    @Test
    void unknownKeysAreIgnoredAndSequencesMayHaveGaps() {
        AofManifest m = AofManifest.parse(
                "a", "file a.1.base.aof seq 1 type b newkey newvalue\nfile x seq 1 type i\nfile y seq 3 type i\n");
        assertEquals(2, m.incrs().size());
        assertEquals("a.4.incr.aof", m.withNewIncr().lastIncr().name());
    }

    @Test
    void rewriteKeepsIncrementalFilesFromTheRewritesStart() {
        AofManifest m = AofManifest.empty("x.aof").withNewIncr().withNewIncr();
        AofManifest.FileEntry base = m.nextBase(false);
        AofManifest r = m.rewritten(base, m.lastIncr());
        assertEquals("x.aof.1.base.aof", r.base().name());
        assertEquals(1, r.incrs().size());
        assertEquals("x.aof.2.incr.aof", r.lastIncr().name());
        assertEquals("x.aof.3.incr.aof", r.withNewIncr().lastIncr().name());
        assertEquals("x.aof.2.base.rdb", r.nextBase(true).name());
    }

    @Test
    void replacedFilesBecomeHistoryNewestFirstUntilDropped() {
        AofManifest m = AofManifest.empty("a").withNewIncr();
        m = m.rewritten(m.nextBase(true), m.lastIncr()).withNewIncr();
        m = m.rewritten(m.nextBase(true), m.lastIncr()).withNewIncr().withNewIncr();
        m = m.rewritten(m.nextBase(true), m.lastIncr());
        assertEquals(
                "file a.3.base.rdb seq 3 type b\n"
                        + "file a.2.incr.aof seq 2 type h\n"
                        + "file a.3.incr.aof seq 3 type h\n"
                        + "file a.2.base.rdb seq 2 type h\n"
                        + "file a.1.incr.aof seq 1 type h\n"
                        + "file a.1.base.rdb seq 1 type h\n"
                        + "file a.4.incr.aof seq 4 type i\n",
                m.format());
        assertEquals(
                "file a.3.base.rdb seq 3 type b\nfile a.4.incr.aof seq 4 type i\n",
                m.withoutHistory().format());
        assertEquals(
                "file a.4.base.rdb seq 4 type b\nfile a.4.incr.aof seq 4 type h\nfile a.3.base.rdb seq 3 type h\n",
                m.withoutHistory().rewritten(m.nextBase(true), null).format());
    }

    @Test
    void anUpgradedSingleFileIsTheBase() {
        AofManifest m = AofManifest.upgraded("appendonly.aof").withNewIncr();
        assertEquals("file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n", m.format());
    }

    @Test
    void namesWithBlanksAndControlsAreQuotedAndReadBack() {
        String name = " file seq \n\n.aof .2.base.rdb";
        AofManifest m = AofManifest.empty(" file seq \n\n.aof ")
                .rewritten(new AofManifest.FileEntry(name, 2, AofManifest.Type.BASE), null);
        String text = m.format();
        assertEquals("file \" file seq \\n\\n.aof .2.base.rdb\" seq 2 type b\n", text);
        assertEquals(name, AofManifest.parse("x", text).base().name());
        assertEquals(
                "a'b c",
                AofManifest.parse("x", "file 'a\\'b c' seq 1 type b\n").base().name());
        assertEquals(
                "AB",
                AofManifest.parse("x", "file \"\\x41\\x42\" seq 1 type b\n")
                        .base()
                        .name());
    }

    @Test
    void refusesWhatRedisRefusesWithItsMessages() {
        assertRefused("", "Found an empty AOF manifest", 0);
        assertRefused("file a seq 1 type i\n\nfile b seq 3 type i\n", "Invalid AOF manifest file format", 2);
        assertRefused("file a seq 1 type b\nfile b seq 2 type b\n", "Found duplicate base file information", 2);
        assertRefused("file a seq 2 type i\nfile b seq 1 type i\n", "Found a non-monotonic sequence number", 2);
        assertRefused("file a seq 1 type x\n", "Unknown AOF file type", 1);
        assertRefused("filx a seq 1 type b\n", "Invalid AOF manifest file format", 1);
        assertRefused("file a seq 1 type b\nfile b type i\n", "Invalid AOF manifest file format", 2);
        assertRefused("file a seq 1 type i newkey\n", "Invalid AOF manifest file format", 1);
        assertRefused("file a seq one type b\n", "Invalid AOF manifest file format", 1);
        assertRefused("file \"a seq 1 type b\n", "Invalid AOF manifest file format", 1);
        assertRefused("file \"a\"b seq 1 type b\n", "Invalid AOF manifest file format", 1);
        assertRefused("file dir/a seq 1 type b\n", "File can't be a path, just a filename", 1);
        assertRefused("file a seq 1 type b", "The AOF manifest file contains too long line", 1);
        assertRefused(
                "file a seq 1 type b " + "x y ".repeat(300) + "\n", "The AOF manifest file contains too long line", 1);
    }

    @Test
    void commentsAloneListNothing() {
        AofManifest m = AofManifest.parse("a", "# nothing yet\n");
        assertNull(m.base());
        assertEquals(0, m.files().size());
    }

    private static void assertRefused(String text, String message, int line) {
        AofManifestException e = assertThrows(AofManifestException.class, () -> AofManifest.parse("a", text));
        assertEquals(message, e.getMessage());
        assertEquals(line, e.lineNumber());
    }
}
