package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RespiteProcess;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A fatal signal, DEBUG SEGFAULT and DEBUG PANIC end the server at once with a crash report in its log: the
 * cause, every thread's stack between the report's markers, and the exit status of a process killed by that signal.
 */
class CrashReportTest {
    @Test
    void sigabrtLeavesACrashReport() throws Exception {
        try (RespiteProcess p = RespiteProcess.start();
                RawConnection c = new RawConnection(p.port())) {
            c.call("SET", "k", "v");
            Process kill = new ProcessBuilder("kill", "-ABRT", Long.toString(p.pid())).start();
            assertEquals(0, kill.waitFor());
            assertCrashed(p, 134, "crashed by signal: 6 (SIGABRT)");
        }
    }

    @Test
    void debugSegfaultCrashesWithAReportAndNoReply() throws Exception {
        try (RespiteProcess p = RespiteProcess.start();
                RawConnection c = new RawConnection(p.port())) {
            c.command("DEBUG", "SEGFAULT");
            assertCrashed(p, 139, "crashed by signal: 11 (SIGSEGV)");
            assertTrue(c.isClosedByPeer(), "DEBUG SEGFAULT must not be answered");
        }
    }

    @Test
    void debugPanicLogsItsMessage() throws Exception {
        try (RespiteProcess p = RespiteProcess.start();
                RawConnection c = new RawConnection(p.port())) {
            c.command("DEBUG", "PANIC");
            assertCrashed(p, 134, "Guru Meditation: DEBUG PANIC called at Unix time ");
        }
    }

    private static void assertCrashed(RespiteProcess p, int status, String cause) throws Exception {
        assertTrue(p.process().waitFor(60, TimeUnit.SECONDS), "the server is still running");
        assertEquals(status, p.process().exitValue());
        String log = p.log();
        assertTrue(log.contains(cause), log);
        int start = log.indexOf("=== RESPITE BUG REPORT START");
        int trace = log.indexOf("------ STACK TRACE ------");
        int end = log.indexOf("=== RESPITE BUG REPORT END");
        assertTrue(start >= 0 && start < trace && trace < end, log);
        assertTrue(log.substring(trace, end).contains("dev.respite.server.RespiteServer"), log);
        assertFalse(log.contains("ready to exit, bye bye"), "a crash must not run the orderly shutdown:\n" + log);
    }
}
