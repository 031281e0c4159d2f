package dev.respite.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oom-score-adj and oom-score-adj-values: the Linux OOM killer's bias for this process, written to
 * /proc/self/oom_score_adj as Redis does for its main process. The score Redis found before it first took
 * control is kept, so that "relative" values add to it and turning the setting off puts it back. Respite
 * forks no save child, so the third value (Redis's background child) is kept but never applied.
 */
public final class OomScoreAdjustment {
    private static final Logger log = LoggerFactory.getLogger(OomScoreAdjustment.class);
    private static final Path PROC_FILE = Path.of("/proc/self/oom_score_adj");
    private static final String FAILED = "Failed to set current oom_score_adj. Check server logs.";

    /** Redis's enum: "yes" is another name for "relative" and the one CONFIG GET prints. */
    private enum Mode {
        NO,
        RELATIVE,
        ABSOLUTE
    }

    private Mode mode = Mode.NO;
    private final int[] values = {0, 200, 800};
    private BooleanSupplier replica = () -> false;
    private boolean adjusted;
    private int base;

    /** Where the current role is read: a replica takes the second value, a master the first. */
    public void setRoleSource(BooleanSupplier replica) {
        this.replica = replica;
    }

    void register(ServerConfig config) {
        config.param(
                "oom-score-adj",
                true,
                () -> mode == Mode.RELATIVE ? "yes" : mode.name().toLowerCase(),
                a -> {
                    Mode previous = mode;
                    mode = parseMode(ServerConfig.single(a));
                    if (mode != previous) {
                        applyOrFail();
                    }
                },
                "Adjust this process's Linux OOM killer score: no, yes/relative (added to the score at start) or absolute.");
        config.param(
                "oom-score-adj-values",
                true,
                () -> values[0] + " " + values[1] + " " + values[2],
                this::setValues,
                "The oom-score-adj of a master, a replica and a background child (unused: Respite forks none).");
    }

    private static Mode parseMode(String v) throws ConfigValueException {
        return switch (v.toLowerCase()) {
            case "no" -> Mode.NO;
            case "yes", "relative" -> Mode.RELATIVE;
            case "absolute" -> Mode.ABSOLUTE;
            default ->
                throw new ConfigValueException("argument(s) must be one of the following: no, yes, relative, absolute");
        };
    }

    private void setValues(List<String> args) throws ConfigValueException {
        if (args.size() != 3) {
            throw new ConfigValueException("wrong number of arguments");
        }
        int[] parsed = new int[3];
        for (int i = 0; i < 3; i++) {
            parsed[i] = parseScore(args.get(i));
        }
        if (parsed[1] < parsed[0] || parsed[2] < parsed[1]) {
            log.warn("The oom-score-adj-values configuration may not work for non-privileged processes! "
                    + "Please consult the documentation.");
        }
        boolean changed = false;
        for (int i = 0; i < 3; i++) {
            changed |= values[i] != parsed[i];
            values[i] = parsed[i];
        }
        if (changed) {
            applyOrFail();
        }
    }

    /** A whole decimal number (strtoll's reading) between -2000 and 2000. */
    private static int parseScore(String s) throws ConfigValueException {
        try {
            long v = Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
            if (v >= -2000 && v <= 2000) {
                return (int) v;
            }
        } catch (NumberFormatException e) {
            // refused below, as out of range
        }
        throw new ConfigValueException("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
    }

    private void applyOrFail() throws ConfigValueException {
        if (!apply()) {
            throw new ConfigValueException(FAILED);
        }
    }

    /**
     * Writes the score for the current role (after a role change, at start), or puts back the original one
     * once turned off; false, logged, when /proc refuses.
     */
    public boolean apply() {
        int score;
        if (mode != Mode.NO) {
            if (!adjusted) {
                try {
                    base = Integer.parseInt(Files.readString(PROC_FILE, StandardCharsets.US_ASCII)
                            .trim());
                } catch (IOException | NumberFormatException e) {
                    log.warn("Unable to read oom_score_adj: {}", e.getMessage());
                    return false;
                }
                adjusted = true;
            }
            score = values[replica.getAsBoolean() ? 1 : 0] + (mode == Mode.RELATIVE ? base : 0);
            score = Math.max(-1000, Math.min(1000, score));
        } else if (adjusted) {
            adjusted = false;
            score = base;
        } else {
            return true;
        }
        try {
            Files.writeString(PROC_FILE, score + "\n", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException e) {
            log.warn("Unable to write oom_score_adj: {}", e.getMessage());
            return false;
        }
    }
}
