package dev.respite.server.info;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Process and machine figures INFO reports, read from /proc where the JVM does not offer them. */
public final class MemoryFigures {
    private static final long PAGE = 4096;

    private MemoryFigures() {}

    /** Resident set size of this process in bytes, 0 where /proc is unavailable. */
    public static long residentBytes() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * PAGE;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    public static long totalSystemBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** User and system CPU seconds of the process, from /proc/self/stat (clock ticks of 1/100 s). */
    public static double[] processCpuSeconds() {
        return cpuSeconds(Path.of("/proc/self/stat"));
    }

    /** User and system CPU seconds of one thread of this process, by its kernel thread id. */
    public static double[] threadCpuSeconds(long tid) {
        return cpuSeconds(Path.of("/proc/self/task/" + tid + "/stat"));
    }

    /** The kernel id of the calling thread, from the /proc/thread-self link; 0 where there is none. */
    public static long currentThreadTid() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Long.parseLong(target.substring(target.lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double[] cpuSeconds(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new double[] {Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0};
        }
    }

    /** Bytes as Redis's bytesToHuman prints them: "1.00M", "512B". */
    public static String human(long n) {
        if (n < 1024) {
            return n + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        double d = n;
        int u = -1;
        while (d >= 1024 && u < units.length - 1) {
            d /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", d, units[u]);
    }
}
