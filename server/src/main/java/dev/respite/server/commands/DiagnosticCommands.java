package dev.respite.server.commands;

import dev.respite.server.ServerVersion;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;

import java.util.ArrayList;
import java.util.List;

import static dev.respite.server.command.CommandFlag.*;
import static dev.respite.server.command.CommandSpec.of;

/** What operators use to see what the server is doing: SLOWLOG, LATENCY, MONITOR, and LOLWUT. */
public final class DiagnosticCommands {
    private final AdminContext server;

    public DiagnosticCommands(AdminContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        String g = "server";
        t.add(of("slowlog", -2).group(g).since("2.2.12").summary("A container for slow log commands.")
                .sub(of("get", -2).flags(ADMIN, LOADING, STALE).group(g).since("2.2.12").tips("request_policy:all_nodes", "nondeterministic_output")
                        .summary("Returns the slow log's entries.").handler(this::slowlogGet))
                .sub(of("len", 2).flags(ADMIN, LOADING, STALE).group(g).since("2.2.12").tips("request_policy:all_nodes", "nondeterministic_output")
                        .summary("Returns the number of entries in the slow log.").handler((c, a) -> c.reply().integer(server.slowLog().size())))
                .sub(of("reset", 2).flags(ADMIN, LOADING, STALE).group(g).since("2.2.12").summary("Clears all entries from the slow log.").handler(this::slowlogReset))
                .sub(of("help", 2).flags(LOADING, STALE).group(g).since("6.2.0").summary("Show helpful text about the different subcommands")
                        .handler((c, a) -> Help.reply(c, server.commands().lookup("slowlog")))));
        t.add(of("latency", -2).group(g).since("2.8.13").summary("A container for latency diagnostics commands.")
                .sub(of("latest", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE).group(g).since("2.8.13").tips("nondeterministic_output")
                        .summary("Returns the latest latency samples for all events.").handler((c, a) -> server.latencyMonitor().writeLatest(c.reply())))
                .sub(of("history", 3).flags(ADMIN, NOSCRIPT, LOADING, STALE).group(g).since("2.8.13").tips("nondeterministic_output")
                        .summary("Returns timestamp-latency samples for an event.").handler((c, a) -> server.latencyMonitor().writeHistory(c.reply(), Args.str(a[2]))))
                .sub(of("reset", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE).group(g).since("2.8.13").summary("Resets the latency data for one or more events.").handler(this::latencyReset))
                .sub(of("doctor", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE).group(g).since("2.8.13").tips("nondeterministic_output")
                        .summary("Returns a human-readable latency analysis report.").handler(this::latencyDoctor))
                .sub(of("help", 2).flags(LOADING, STALE).group(g).since("2.8.13").summary("Returns helpful text about the different subcommands.")
                        .handler((c, a) -> Help.reply(c, server.commands().lookup("latency")))));
        t.add(of("monitor", 1).flags(ADMIN, NOSCRIPT, LOADING, STALE).group(g).since("1.0.0")
                .summary("Listens for all requests received by the server in real-time.").handler(this::monitor));
        t.add(of("lolwut", -1).flags(READONLY, FAST).group(g).since("5.0.0").summary("Displays computer art and the Redis version").handler(this::lolwut));
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

    private void latencyDoctor(Client c, byte[][] a) {
        String text;
        if (server.config().latencyMonitorThreshold == 0) {
            text = "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Respite instance. "
                    + "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it.\n";
        } else if (server.latencyMonitor().isEmpty()) {
            text = "Dave, no latency spike was observed during the lifetime of this Respite instance, not in the slightest bit. "
                    + "I honestly think you ought to sleep tonight.\n";
        } else {
            text = "Dave, I have observed latency spikes in this Respite instance. Use LATENCY LATEST and LATENCY HISTORY "
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
        c.reply().verbatim("txt", art + "\nA moment of rest between requests. Respite ver. " + ServerVersion.VERSION + "\n");
    }
}
