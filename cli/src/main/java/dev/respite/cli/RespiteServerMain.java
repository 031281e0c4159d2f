package dev.respite.cli;

import dev.respite.server.RespiteServer;
import io.netty.util.ResourceLeakDetector;
import dev.respite.server.config.ConfigFileException;
import dev.respite.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The respite-server executable, in Redis's command-line convention: an optional configuration file,
 * then {@code --directive value...} pairs that override it.
 */
@Command(name = "respite-server", mixinStandardHelpOptions = true, versionProvider = RespiteServerMain.Version.class,
        sortOptions = false,
        description = {"A Redis-compatible key-value cache and message server.", ""},
        footer = {"", "Any redis.conf directive may be given as --name value, for example:",
                "  respite-server redis.conf --port 6380 --bind 127.0.0.1",
                "  respite-server --port 7777 --maxmemory 1gb --maxmemory-policy allkeys-lru",
                "  respite-server --save \"\" --appendonly yes"})
public final class RespiteServerMain implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "[config-file] [--directive value...]",
            description = "A redis.conf-style file (or - for standard input), then directives that override it.")
    private List<String> arguments = new ArrayList<>();

    @Option(names = "--test-config", description = "Parse the configuration, report problems, and exit.")
    private boolean testConfig;

    @Option(names = "--check-aof", paramLabel = "FILE",
            description = "Check an append-only file (or every file of a manifest) and exit; with --fix, truncate it to its last complete command.")
    private java.nio.file.Path checkAof;

    @Option(names = "--fix", description = "With --check-aof: truncate a damaged file to its last good command.")
    private boolean fix;

    @Option(names = "--check-rdb", paramLabel = "FILE", description = "Check an RDB snapshot file, report what it holds or where it is damaged, and exit.")
    private java.nio.file.Path checkRdb;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new RespiteServerMain());
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
        try {
            configFile = ConfigLoader.load(config, arguments);
        } catch (ConfigFileException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (testConfig) {
            System.out.println("Configuration OK");
            return 0;
        }
        Logging.configure(config);
        Logger log = LoggerFactory.getLogger("respite");
        log.info("Respite {} (Redis {} compatible) starting, pid={}, port={}", RespiteServer.VERSION,
                RespiteServer.REDIS_VERSION, ProcessHandle.current().pid(), config.port);
        if (!configFile.isEmpty()) {
            log.info("Configuration loaded from {}", configFile);
        } else {
            log.warn("No config file specified, using the default config. In order to specify a config file use respite-server /path/to/redis.conf");
        }
        for (String name : config.inertParametersSet()) {
            log.warn("Directive '{}' is accepted for compatibility with Redis but has no effect in Respite", name);
        }
        RespiteServer server = new RespiteServer(config);
        server.setConfigFile(configFile);
        try {
            server.start();
        } catch (IllegalStateException e) {
            log.error("{}", e.getMessage());
            return 1;
        }
        Thread hook = new Thread(() -> {
            if (!server.isRunning()) {
                Logging.stop();
                return;
            }
            log.info("Received a stop signal, shutting down...");
            try {
                server.onLoop(() -> server.saveBeforeExit(false, false));
            } catch (Exception e) {
                log.warn("Could not save before exit: {}", e.getMessage());
            }
            server.stop();
            log.info("Respite is now ready to exit, bye bye...");
            Logging.stop();
            // Like Redis, a stop by signal that saved what it had to is a clean exit, not status 143.
            Runtime.getRuntime().halt(0);
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        log.info("Server initialized ({} transport, {} databases)", server.transportName(), config.databases);
        log.info("Ready to accept connections tcp");
        server.awaitStop();
        return server.fatalError() == null ? 0 : 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Respite server v=" + RespiteServer.VERSION + " redis_version=" + RespiteServer.REDIS_VERSION
                    + " java=" + System.getProperty("java.version")};
        }
    }
}
