package dev.respite.cli;

import dev.respite.server.RespiteServer;
import dev.respite.server.ServerVersion;
import dev.respite.server.StartUpGarbage;
import dev.respite.server.config.ConfigFileException;
import dev.respite.server.config.ConfigParam;
import dev.respite.server.config.ServerConfig;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The respite-server executable, in Redis's command-line convention: an optional configuration file,
 * then {@code --directive value...} pairs that override it.
 */
@Command(
        name = "respite-server",
        mixinStandardHelpOptions = true,
        versionProvider = RespiteServerMain.Version.class,
        sortOptions = false,
        description = {"A Redis-compatible key-value cache and message server.", ""})
public final class RespiteServerMain implements Callable<Integer> {
    private static final String NETTY_JFR = "io.netty.jfr.enabled";
    static final String DAEMONIZE_REFUSED =
            "*** FATAL CONFIG ERROR *** daemonize yes is not supported: a Java virtual machine "
                    + "cannot fork itself into the background. Run respite-server in the foreground under systemd "
                    + "(see docs/respite-server.service) or another supervisor, and set daemonize no.";

    @Parameters(
            arity = "0..*",
            paramLabel = "[config-file] [--directive value...]",
            description = "A redis.conf-style file (or - for standard input), then directives that override it.")
    private List<String> arguments = new ArrayList<>();

    @Option(names = "--test-config", description = "Parse the configuration, report problems, and exit.")
    private boolean testConfig;

    @Option(
            names = "--check-aof",
            paramLabel = "FILE",
            description =
                    "Check an append-only file (or every file of a manifest) and exit; with --fix, truncate it to its last complete command.")
    private java.nio.file.Path checkAof;

    @Option(names = "--fix", description = "With --check-aof: truncate a damaged file to its last good command.")
    private boolean fix;

    @Option(
            names = "--check-rdb",
            paramLabel = "FILE",
            description = "Check an RDB snapshot file, report what it holds or where it is damaged, and exit.")
    private java.nio.file.Path checkRdb;

    public static void main(String[] args) {
        if (System.getProperty(NETTY_JFR) == null) {
            // Netty reports its allocator's chunk events to Flight Recorder when it is available, which sets up
            // JFR's event metadata at the first chunk: about 5 MB of an idle server's memory, for events nobody
            // records unless they ask (-Dio.netty.jfr.enabled=true). Set before any Netty class initializes.
            System.setProperty(NETTY_JFR, "false");
        }
        CommandLine cl = new CommandLine(new RespiteServerMain());
        cl.getCommandSpec().usageMessage().footer(helpFooter());
        cl.setUnmatchedOptionsArePositionalParams(true);
        cl.setUnmatchedArgumentsAllowed(false);
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Netty samples buffers with stack traces by default: a cost per request a server does not need.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        if (checkAof != null) {
            return new AofCheckCommand(System.out).run(checkAof, fix);
        }
        if (checkRdb != null) {
            return RdbCheck.run(checkRdb, System.out);
        }
        ServerConfig config = new ServerConfig();
        String configFile;
        RespiteServer server;
        try {
            configFile = ConfigLoader.load(config, arguments);
            server = new RespiteServer(config);
            server.applyCommandRenames();
        } catch (ConfigFileException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (config.daemonize) {
            System.err.println(DAEMONIZE_REFUSED);
            return 1;
        }
        if (testConfig) {
            System.out.println("Configuration OK" + (configFile.isEmpty() ? "" : " (" + configFile + ")"));
            for (String warning : StartupWarnings.of(config)) {
                System.out.println("Warning: " + warning);
            }
            return 0;
        }
        try {
            Logging.configure(config);
        } catch (IOException e) {
            System.err.println("Can't open the log file: " + e.getMessage());
            return 1;
        }
        Logger log = LoggerFactory.getLogger("respite");
        log.info(
                "Respite {} (Redis {} compatible) starting, pid={}, port={}",
                ServerVersion.VERSION,
                ServerVersion.REDIS_VERSION,
                ProcessHandle.current().pid(),
                config.port);
        if (config.alwaysShowLogo) {
            // Redis's test harness (and some operators' scripts) find the process in the log by " PID: <pid>".
            log.info(
                    "Respite {} (Redis {} compatible) 64 bit\n    Running in standalone mode\n    Port: {}\n    PID: {}",
                    ServerVersion.VERSION,
                    ServerVersion.REDIS_VERSION,
                    config.port,
                    ProcessHandle.current().pid());
        }
        if (!configFile.isEmpty()) {
            log.info("Configuration loaded from {}", configFile);
        } else {
            log.warn(
                    "No config file specified, using the default config. In order to specify a config file use respite-server /path/to/redis.conf");
        }
        for (String warning : StartupWarnings.of(config)) {
            log.warn("{}", warning);
        }
        server.setConfigFile(configFile);
        try {
            server.start();
        } catch (IllegalStateException e) {
            log.error("{}", e.getMessage());
            Logging.stop();
            return 1;
        }
        if (server.isStopping()) {
            // SHUTDOWN, or a damaged file, while the data was loading: nothing was saved and start-up went no further.
            server.awaitStop();
            Logging.stop();
            return server.fatalError() != null ? 1 : 0;
        }
        PidFile pidFile = config.pidfile.isEmpty() ? null : new PidFile(config.pidfile);
        if (pidFile != null) {
            try {
                pidFile.write();
            } catch (IOException e) {
                log.warn("Failed to write PID file {}: {}", pidFile, e.getMessage());
            }
        }
        new StopSignals(server).install();
        // Any other end of the JVM saves as a signal with the default flags would; after a stop, the pid file goes.
        Thread hook = new Thread(
                () -> {
                    if (server.isRunning()) {
                        log.info("Received a stop signal, shutting down...");
                        try {
                            server.onLoop(() -> server.saveBeforeExit(false, false));
                        } catch (Exception e) {
                            log.warn("Could not save before exit: {}", e.getMessage());
                        }
                        server.stop();
                    }
                    deletePidFile(pidFile, log);
                    Logging.stop();
                },
                "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        log.info("Serving on the {} transport, {} databases", server.transportName(), config.databases);
        log.info("Ready to accept connections tcp");
        StartUpGarbage.collectInBackground();
        server.awaitStop();
        if (server.fatalError() != null) {
            return 1;
        }
        log.info("Respite is now ready to exit, bye bye...");
        return 0;
    }

    /** Directives most operators set, shown by --help with their defaults and what they do. */
    private static final List<String> COMMON_DIRECTIVES = List.of(
            "port",
            "bind",
            "unixsocket",
            "protected-mode",
            "requirepass",
            "maxclients",
            "timeout",
            "databases",
            "dir",
            "logfile",
            "loglevel",
            "pidfile",
            "maxmemory",
            "maxmemory-policy",
            "save",
            "appendonly",
            "appendfsync",
            "hz");

    private static String[] helpFooter() {
        ServerConfig defaults = new ServerConfig();
        List<String> lines = new ArrayList<>(List.of(
                "", "Any redis.conf directive may be given as --name value; common ones, with their defaults:"));
        for (String name : COMMON_DIRECTIVES) {
            ConfigParam p = defaults.param(name);
            String value = p.defaultValue().isEmpty() ? "\"\"" : p.defaultValue();
            lines.add("  --" + name + " " + value);
            lines.add("        " + p.description());
        }
        lines.addAll(List.of(
                "",
                "Examples:",
                "  respite-server /etc/respite/redis.conf --port 6380",
                "  respite-server --port 7777 --maxmemory 1gb --maxmemory-policy allkeys-lru",
                "  respite-server --save \"\" --appendonly yes",
                "",
                "Every directive is described in redis.conf.example and docs/configuration.md."));
        return lines.toArray(new String[0]);
    }

    private static void deletePidFile(PidFile pidFile, Logger log) {
        if (pidFile == null) {
            return;
        }
        try {
            pidFile.delete();
        } catch (IOException e) {
            log.warn("Could not remove the PID file {}: {}", pidFile, e.getMessage());
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "Respite server v=" + ServerVersion.VERSION + " redis_version=" + ServerVersion.REDIS_VERSION + " java="
                        + System.getProperty("java.version")
            };
        }
    }
}
