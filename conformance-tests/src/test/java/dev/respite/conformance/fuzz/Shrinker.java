package dev.respite.conformance.fuzz;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a failing run down to a short reproduction: replays the steps on emptied servers, dropping each
 * earlier step (and each queued command of a final transaction) whose absence still leaves the last
 * step answering differently.
 */
final class Shrinker {
    private final ServerPair servers;

    Shrinker(ServerPair servers) {
        this.servers = servers;
    }

    /** The shortest sequence found that still differs at its last step, or null if the full one does not. */
    List<Step> shrink(List<Step> steps) throws IOException {
        if (!differsAtEnd(steps)) {
            return null;
        }
        List<Step> current = new ArrayList<>(steps);
        for (int i = current.size() - 2; i >= 0; i--) {
            List<Step> without = new ArrayList<>(current);
            without.remove(i);
            if (differsAtEnd(without)) {
                current = without;
            }
        }
        Step last = current.get(current.size() - 1);
        if (last.isTransaction()) {
            List<byte[][]> queued = new ArrayList<>(last.queued());
            for (int i = queued.size() - 1; i >= 0 && queued.size() > 1; i--) {
                List<byte[][]> fewer = new ArrayList<>(queued);
                fewer.remove(i);
                List<Step> attempt = new ArrayList<>(current.subList(0, current.size() - 1));
                attempt.add(last.withQueued(fewer));
                if (differsAtEnd(attempt)) {
                    queued = fewer;
                }
            }
            current.set(current.size() - 1, last.withQueued(queued));
        }
        return current;
    }

    private boolean differsAtEnd(List<Step> steps) throws IOException {
        servers.reset();
        ServerPair.Outcome last = null;
        for (Step s : steps) {
            last = servers.run(s);
        }
        return last != null && last.firstDifference() >= 0;
    }
}
