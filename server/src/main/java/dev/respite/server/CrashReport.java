package dev.respite.server;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report Respite leaves in its log when it dies on a fatal signal or on DEBUG SEGFAULT/PANIC: the cause and
 * every thread's stack, between the markers operators and tools look for, then an immediate exit with the
 * status a process killed by that signal has (no shutdown hooks, no final save, as a crash would).
 */
public final class CrashReport {
    private static final Logger log = LoggerFactory.getLogger(CrashReport.class);

    private CrashReport() {}

    /** A fatal signal: {@code number} as the kernel numbers it (6 for SIGABRT, 11 for SIGSEGV). */
    public static void signal(int number, String name) {
        report(
                "Respite " + ServerVersion.REDIS_VERSION + " crashed by signal: " + number + " (" + name
                        + "), si_code: 0",
                128 + number);
    }

    /** DEBUG PANIC and other conditions the server cannot go on from. */
    public static void panic(String message) {
        log.error("------------------------------------------------");
        log.error("!!! Software Failure. Press left mouse button to continue");
        log.error("Guru Meditation: {}", message);
        report("Respite " + ServerVersion.REDIS_VERSION + " panicked: " + message, 134);
    }

    private static void report(String headline, int exitStatus) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n\n=== RESPITE BUG REPORT START: Cut & paste starting from here ===\n");
        sb.append(headline).append('\n');
        sb.append("pid: ").append(ProcessHandle.current().pid());
        sb.append(", uptime: ")
                .append(ManagementFactory.getRuntimeMXBean().getUptime() / 1000)
                .append(" s\n");
        sb.append("\n------ STACK TRACE ------\n");
        for (Map.Entry<Thread, StackTraceElement[]> t :
                Thread.getAllStackTraces().entrySet()) {
            Thread thread = t.getKey();
            sb.append('\n')
                    .append('"')
                    .append(thread.getName())
                    .append("\" ")
                    .append(thread.getState())
                    .append('\n');
            for (StackTraceElement frame : t.getValue()) {
                sb.append("    at ").append(frame).append('\n');
            }
        }
        sb.append("\n=== RESPITE BUG REPORT END. Make sure to include from START to END. ===\n");
        log.error(sb.toString());
        Runtime.getRuntime().halt(exitStatus);
    }
}
