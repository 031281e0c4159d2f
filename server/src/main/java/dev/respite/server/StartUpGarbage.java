package dev.respite.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Start-up (class loading, the command table, the configuration) leaves tens of megabytes of garbage. Where an
 * explicit collection runs concurrently with the server (Shenandoah, ZGC; G1's default would stop it), it is
 * collected: before a large data file is read, so that the data does not come to sit among that garbage and the
 * heap does not hold both at once, and again once the server is ready, for what an idle server would otherwise
 * keep until the collector's periodic cycle.
 */
public final class StartUpGarbage {
    /** Data files smaller than this are loaded without collecting first: what they bring in is small. */
    public static final long LARGE_FILE = 8L << 20;

    private StartUpGarbage() {}

    /** Collects now and waits for it: a data file of {@code bytes} is about to be read. */
    public static void collectBeforeLoading(long bytes) {
        if (bytes >= LARGE_FILE && concurrent()) {
            System.gc();
        }
    }

    /** Starts a collection on a thread of its own, for a server that has just become ready. */
    public static void collectInBackground() {
        if (concurrent()) {
            Thread gc = new Thread(System::gc, "start-up-gc");
            gc.setDaemon(true);
            gc.start();
        }
    }

    private static boolean concurrent() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return Boolean.parseBoolean(
                vm.getVMOption("ExplicitGCInvokesConcurrent").getValue());
    }
}
