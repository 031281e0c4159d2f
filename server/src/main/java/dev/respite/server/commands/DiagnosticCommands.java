package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.ServerVersion;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
import dev.respite.server.command.LatencyHistogram;
import dev.respite.server.net.Client;
import java.util.ArrayList;
import java.util.List;

/** What operators use to see what the server is doing: SLOWLOG, LATENCY, MONITOR, and LOLWUT. */
public final class DiagnosticCommands {
    private final AdminContext server;

    public DiagnosticCommands(AdminContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("slowlog|get", this::slowlogGet);
        t.bind("slowlog|len", (c, a) -> c.reply().integer(server.slowLog().size()));
        t.bind("slowlog|reset", this::slowlogReset);
        t.bind("slowlog|help", (c, a) -> Help.reply(c, server.commands().lookup("slowlog")));
        t.bind("latency|latest", (c, a) -> server.latencyMonitor().writeLatest(c.reply()));
        t.bind("latency|history", (c, a) -> server.latencyMonitor().writeHistory(c.reply(), Args.str(a[2])));
        t.bind("latency|reset", this::latencyReset);
        t.bind("latency|doctor", this::latencyDoctor);
        t.bind("latency|graph", this::latencyGraph);
        t.bind("latency|histogram", this::latencyHistogram);
        t.bind("latency|help", (c, a) -> Help.reply(c, server.commands().lookup("latency")));
        t.bind("monitor", this::monitor);
        t.bind("lolwut", this::lolwut);
    }

    private void slowlogGet(Client c, byte[][] a) {
        long count = 10;
        if (a.length == 3) {
            count = Args.toLong(a[2]);
            if (count < -1) {
                throw new CommandError("ERR count should be greater than or equal to -1");
            }
        } else if (a.length > 3) {
            throw CommandError.wrongArity("slowlog|get");
        }
        server.slowLog().write(c.reply(), count);
    }

    private void slowlogReset(Client c, byte[][] a) {
        server.slowLog().reset();
        c.reply().ok();
    }

    private void latencyReset(Client c, byte[][] a) {
        List<String> names = new ArrayList<>();
        for (int i = 2; i < a.length; i++) {
            names.add(Args.str(a[i]));
        }
        c.reply().integer(server.latencyMonitor().reset(names, names.isEmpty()));
    }

    private void latencyGraph(Client c, byte[][] a) {
        String graph = server.latencyMonitor().graph(Args.str(a[2]));
        if (graph == null) {
            throw new CommandError("ERR No samples available for event '" + Args.str(a[2]) + "'");
        }
        c.reply().verbatim("txt", graph);
    }

    /** Every command and subcommand that has a latency histogram, or those named and their subcommands. */
    private void latencyHistogram(Client c, byte[][] a) {
        List<CommandSpec> chosen = new ArrayList<>();
        if (a.length == 2) {
            for (CommandSpec s : server.commands().all()) {
                chosen.add(s);
                chosen.addAll(s.subcommands().values());
            }
        } else {
            for (int i = 2; i < a.length; i++) {
                CommandSpec s = CommandIntrospection.find(server.commands(), Args.str(a[i]));
                if (s != null) {
                    chosen.add(s);
                    chosen.addAll(s.subcommands().values());
                }
            }
        }
        chosen.removeIf(s -> s.stats().latency() == null);
        RespWriter r = c.reply();
        r.map(chosen.size());
        for (CommandSpec s : chosen) {
            LatencyHistogram h = s.stats().latency();
            r.bulk(s.fullName());
            r.map(2);
            r.bulk("calls");
            r.integer(h.count());
            r.bulk("histogram_usec");
            List<long[]> levels = h.powersOfTwoCdf();
            r.map(levels.size());
            for (long[] level : levels) {
                r.integer(level[0]);
                r.integer(level[1]);
            }
        }
    }

    private void latencyDoctor(Client c, byte[][] a) {
        String text;
        if (server.config().latencyMonitorThreshold == 0) {
            text = "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Respite instance. "
                    + "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it.\n";
        } else if (server.latencyMonitor().isEmpty()) {
            text =
                    "Dave, no latency spike was observed during the lifetime of this Respite instance, not in the slightest bit. "
                            + "I honestly think you ought to sleep tonight.\n";
        } else {
            text =
                    "Dave, I have observed latency spikes in this Respite instance. Use LATENCY LATEST and LATENCY HISTORY "
                            + "to see when and how long; SLOWLOG GET lists the commands that ran long.\n";
        }
        c.reply().verbatim("txt", text);
    }

    private void monitor(Client c, byte[][] a) {
        server.monitors().add(c);
        c.reply().ok();
    }

    private void lolwut(Client c, byte[][] a) {
        if (a.length != 1 && !(a.length == 3 && Args.is(a[1], "version")) && a.length % 2 == 0) {
            throw CommandError.syntax();
        }
        String art = """
                 ___  ___ ___ ___ ___ _____ ___
                | _ \\| __/ __| _ \\_ _|_   _| __|
                |   /| _|\\__ \\  _/| |  | | | _|
                |_|_\\|___|___/_| |___| |_| |___|
                """;
        c.reply()
                .verbatim(
                        "txt",
                        art + "\nA moment of rest between requests. Respite ver. " + ServerVersion.VERSION + "\n");
    }
}
