package dev.respite.conformance.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The redis-server binary Respite is measured against: Redis 7.2.5, built from the shared reference tarball
 * by {@code shared/tools/reference-redis.sh}. The script is found beside the repository (or one of its
 * parents, as for a worktree) unless {@code -Dreference.redis.dir} names the built tree. Missing is a failure.
 */
public final class ReferenceRedis {
    private static String binary;

    private ReferenceRedis() {}

    public static synchronized String binary() throws IOException {
        if (binary == null) {
            binary = locate().resolve("src/redis-server").toString();
        }
        return binary;
    }

    private static Path locate() throws IOException {
        String dir = System.getProperty("reference.redis.dir");
        if (dir != null) {
            return Path.of(dir);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path script = p.resolve("shared/tools/reference-redis.sh");
            if (Files.isRegularFile(script)) {
                return build(script);
            }
        }
        throw new IllegalStateException("shared/tools/reference-redis.sh not found above "
                + Path.of("").toAbsolutePath() + "; pass -Dreference.redis.dir=<built redis-7.2.5 tree>");
    }

    private static Path build(Path script) throws IOException {
        try {
            Tools.Result r = Tools.run(List.of("bash", script.toString()), null, 900);
            if (r.exitCode() != 0) {
                throw new IllegalStateException(script + " failed:\n" + r.stderr());
            }
            return Path.of(r.stdout().trim());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
