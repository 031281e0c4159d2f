package dev.respite.conformance.fuzz;

import dev.respite.conformance.support.RespReader.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Sends the same seeded random steps to the reference server and to Respite and collects each difference
 * as a shrunk, replayable redis-cli script. Commands come from Respite's command table, limited to the data
 * families whose every reply is a function of the commands sent (strings, bitmaps, lists, sets, sorted sets,
 * hashes, HyperLogLog, geo, streams, the generic key commands, WATCH); their argument grammar comes from the
 * reference's COMMAND DOCS.
 */
public final class DifferentialFuzzer {
    private static final Set<String> GROUPS = Set.of(
            "string",
            "bitmap",
            "list",
            "set",
            "sorted-set",
            "hash",
            "generic",
            "transactions",
            "hyperloglog",
            "geo",
            "stream");
    /** Commands of those families whose replies depend on more than the commands sent. */
    private static final Set<String> EXCLUDED = Set.of(
            "dump",
            "restore", // the payload is the server's internal encoding of the value
            "object", // encodings, idle times and access frequencies are server internals
            "migrate",
            "wait",
            "waitaof", // need a second server or replicas
            "pfselftest", // seconds of self-checks per call, and nothing sent decides its reply
            "multi",
            "exec",
            "discard"); // generated as whole transactions

    private static final int MAX_STEPS_BEFORE_RESET = 200;
    private static final int MAX_SHRUNK_PER_SEED = 25;

    private final int referencePort;
    private final int respitePort;

    public DifferentialFuzzer(int referencePort, int respitePort) {
        this.referencePort = referencePort;
        this.respitePort = respitePort;
    }

    /** Runs about {@code commands} commands from {@code seed}; returns one report per distinct difference. */
    public List<String> run(long seed, int commands) throws IOException {
        List<String> reports = new ArrayList<>();
        try (ServerPair servers = new ServerPair(referencePort, respitePort)) {
            List<Grammar> table = commandTable(servers);
            Random rnd = new Random(seed);
            ArgumentGenerator gen = new ArgumentGenerator(rnd);
            Set<String> seen = new HashSet<>();
            List<Step> history = restart(servers);
            int sent = 0;
            int found = 0;
            while (sent < commands) {
                Step step = next(table, gen, rnd);
                sent += step.commands().size();
                if (sorts(step)) {
                    history.add(CLEAR_ERRNO);
                    servers.run(CLEAR_ERRNO);
                }
                history.add(step);
                ServerPair.Outcome outcome = runOrExplain(servers, step, history, seed);
                int at = outcome.firstDifference();
                if (at >= 0) {
                    found++;
                    byte[][] cmd = step.commands().get(at);
                    String kind = name(cmd) + " " + kind(outcome.reference().get(at));
                    if (seen.add(kind) && seen.size() <= MAX_SHRUNK_PER_SEED) {
                        reports.add(report(servers, seed, sent, history, cmd));
                    }
                    history = restart(servers);
                    continue;
                }
                Step resync = afterRandomRemoval(step);
                if (resync != null) {
                    servers.run(resync);
                    history.add(resync);
                }
                if (history.size() > MAX_STEPS_BEFORE_RESET) {
                    history = restart(servers);
                }
            }
            System.out.println("differential fuzz seed " + seed + ": " + sent + " commands, " + found + " differences ("
                    + reports.size() + " distinct)");
        }
        return reports;
    }

    /** A server that stops answering fails the run with the steps since the last restart, which replay it. */
    private static ServerPair.Outcome runOrExplain(ServerPair servers, Step step, List<Step> history, long seed)
            throws IOException {
        try {
            return servers.run(step);
        } catch (IOException e) {
            StringBuilder sb = new StringBuilder(
                    "seed " + seed + ": " + e.getMessage() + "\n  steps from an empty server:\n    FLUSHALL");
            history.forEach(s -> s.lines().forEach(l -> sb.append("\n    ").append(l)));
            throw new IOException(sb.toString(), e);
        }
    }

    /** Both servers emptied and given the fixture: one key of each type. Returns the steps so far. */
    private static List<Step> restart(ServerPair servers) throws IOException {
        servers.reset();
        List<Step> fixture = new ArrayList<>(List.of(
                Step.command(Step.words("SET", "str", "hello")),
                Step.command(Step.words("SET", "int", "10")),
                Step.command(Step.words("SET", "flt", "3.5")),
                Step.command(Step.words("SET", "bits", "ab\u00ff")),
                Step.command(Step.words("RPUSH", "list", "a", "b", "c", "1", "2")),
                Step.command(Step.words("HSET", "hash", "f1", "v1", "f2", "2", "f3", "1.5")),
                Step.command(Step.words("SADD", "set", "a", "b", "c")),
                Step.command(Step.words("SADD", "iset", "1", "2", "3")),
                Step.command(Step.words("ZADD", "zset", "1", "a", "2", "b", "3", "c", "1.5", "d")),
                Step.command(Step.words("EXPIRE", "hash", "100000"))));
        for (Step s : fixture) {
            servers.run(s);
        }
        return fixture;
    }

    private static Step next(List<Grammar> table, ArgumentGenerator gen, Random rnd) {
        int roll = rnd.nextInt(100);
        if (roll == 0) {
            return Step.hello(2 + rnd.nextInt(2));
        }
        if (roll <= 5) {
            List<byte[][]> queued = new ArrayList<>();
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                queued.add(gen.generate(table.get(rnd.nextInt(table.size()))));
            }
            return Step.transaction(queued, rnd.nextInt(100) < 85);
        }
        return Step.command(gen.generate(table.get(rnd.nextInt(table.size()))));
    }

    /**
     * Redis 7.2's SORT tests errno after strtod without clearing it first, so a range error some earlier
     * command left behind (an out-of-range SCAN cursor, a score past 1e308) makes it refuse valid weights.
     * That leak is no behaviour to copy: SCAN 0, which clears errno, runs (uncompared) before each SORT.
     */
    private static final Step CLEAR_ERRNO =
            new Step(Collections.singletonList(Step.words("SCAN", "0", "COUNT", "1")), false);

    private static boolean sorts(Step step) {
        return step.commands().stream().anyMatch(c -> name(c).startsWith("sort"));
    }

    /** SPOP removes members of its choosing: the set is dropped on both sides so they agree again. */
    private static Step afterRandomRemoval(Step step) {
        for (byte[][] cmd : step.commands()) {
            if (name(cmd).equals("spop") && cmd.length > 1) {
                return Step.command(new byte[][] {Step.words("DEL")[0], cmd[1]});
            }
        }
        return null;
    }

    /** The commands both servers have, in the chosen families, in a fixed order so a seed always draws the same. */
    private static List<Grammar> commandTable(ServerPair servers) throws IOException {
        Map<String, Grammar> docs = Grammar.fromDocs(servers.callReference(Step.words("COMMAND", "DOCS")));
        Value list = servers.callRespite(Step.words("COMMAND", "LIST"));
        List<Grammar> out = new ArrayList<>();
        for (Value v : list.elements()) {
            String name = v.text().toLowerCase(Locale.ROOT);
            Grammar g = docs.get(name);
            if (g != null && GROUPS.contains(g.group()) && !EXCLUDED.contains(name)) {
                out.add(g);
            }
        }
        out.sort((a, b) -> a.command().compareTo(b.command()));
        if (out.size() < 100) {
            throw new IllegalStateException("only " + out.size() + " commands to fuzz: "
                    + out.stream().map(Grammar::command).toList());
        }
        return out;
    }

    private String report(ServerPair servers, long seed, int sent, List<Step> history, byte[][] cmd)
            throws IOException {
        List<Step> shrunk = new Shrinker(servers).shrink(history);
        StringBuilder sb = new StringBuilder("difference (seed " + seed + ", near command " + sent + ") in "
                + name(cmd).toUpperCase(Locale.ROOT));
        List<Step> shown = shrunk != null ? shrunk : history.subList(Math.max(0, history.size() - 12), history.size());
        sb.append(
                shrunk != null
                        ? "\n  reproduction, from an empty server:"
                        : "\n  did not reproduce on replay; the last steps were:");
        sb.append("\n    FLUSHALL");
        ServerPair.Outcome last = null;
        servers.reset();
        for (Step s : shown) {
            s.lines().forEach(l -> sb.append("\n    ").append(l));
            last = servers.run(s);
        }
        if (last != null && last.firstDifference() >= 0) {
            int at = last.firstDifference();
            sb.append("\n  at: ").append(shown.get(shown.size() - 1).lines().get(at));
            sb.append("\n  Redis 7.2.5: ")
                    .append(ReplyForm.printable(last.reference().get(at)));
            sb.append("\n  Respite:     ")
                    .append(ReplyForm.printable(last.respite().get(at)));
        }
        return sb.toString();
    }

    private static String kind(String reply) {
        return reply.startsWith("-") ? reply.substring(0, Math.min(reply.length(), 40)) : reply.substring(0, 1);
    }

    private static String name(byte[][] cmd) {
        return new String(cmd[0], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }
}
