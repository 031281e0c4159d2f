package dev.respite.server;

import dev.respite.server.acl.AccessControl;
import dev.respite.server.acl.AclRuleException;
import dev.respite.server.blocking.BlockedClients;
import dev.respite.server.cluster.Cluster;
import dev.respite.server.cluster.ClusterCommands;
import dev.respite.server.cluster.NodesConfException;
import dev.respite.server.command.ClientPause;
import dev.respite.server.command.CommandDispatcher;
import dev.respite.server.command.CommandTable;
import dev.respite.server.command.WatchedKeys;
import dev.respite.server.commands.AdminContext;
import dev.respite.server.commands.CommandFamilies;
import dev.respite.server.commands.DataContext;
import dev.respite.server.commands.ServerControl;
import dev.respite.server.commands.ShutdownOptions;
import dev.respite.server.config.CommandRename;
import dev.respite.server.config.ConfigFileException;
import dev.respite.server.config.ServerConfig;
import dev.respite.server.diagnostics.LatencyMonitor;
import dev.respite.server.diagnostics.Monitors;
import dev.respite.server.diagnostics.SlowLog;
import dev.respite.server.info.InfoReport;
import dev.respite.server.info.MemoryAccounting;
import dev.respite.server.info.MemoryFigures;
import dev.respite.server.net.AcceptedConnections;
import dev.respite.server.net.Client;
import dev.respite.server.net.ClientHandler;
import dev.respite.server.net.ClientHost;
import dev.respite.server.net.Clients;
import dev.respite.server.net.DisconnectHooks;
import dev.respite.server.net.IoThreadHandler;
import dev.respite.server.net.Listeners;
import dev.respite.server.net.MetricsEndpoint;
import dev.respite.server.net.ServerTls;
import dev.respite.server.net.Transport;
import dev.respite.server.net.UnixPermissions;
import dev.respite.server.persistence.Persistence;
import dev.respite.server.persistence.Snapshots;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.server.pubsub.KeyspaceNotifier;
import dev.respite.server.pubsub.PubSubHub;
import dev.respite.server.replication.Replication;
import dev.respite.server.replication.ReplicationCommands;
import dev.respite.server.scripting.Scripts;
import dev.respite.server.tracking.ClientSideCaching;
import dev.respite.storage.Keyspace;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: builds the keyspace, the services and the command families that use them, then the
 * network and the cron on the one event loop (the keyspace thread) that owns them all. Everything but start
 * and stop runs on that loop; with io-threads N > 1, client sockets and request decoding move to N - 1 I/O
 * threads that hand it commands.
 */
public final class RespiteServer implements ServerControl, ClientHost {
    private static final Logger log = LoggerFactory.getLogger(RespiteServer.class);

    private final ServerConfig config;
    private final Keyspace keyspace;
    private final CommandTable table = new CommandTable();
    private final ServerStats stats = new ServerStats();
    private final Clients clients = new Clients();
    private final CommandDispatcher dispatcher;
    private final AccessControl acl;
    private final BlockedClients blocking;
    private final WatchedKeys watches = new WatchedKeys();
    private final ClientPause pause = new ClientPause(clients::flushAll);
    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latencyMonitor = new LatencyMonitor();
    private final Monitors monitors = new Monitors();
    private final PubSubHub pubsub = new PubSubHub();
    private final KeyspaceNotifier notifier;
    private final Snapshots snapshots;
    private final ActiveExpiry activeExpiry;
    private final MemoryAccounting memory;
    private final Eviction eviction;
    private final ServerCron cron;
    private final DisconnectHooks disconnectHooks = new DisconnectHooks();
    private final ClientSideCaching tracking;
    private final long startMillis = System.currentTimeMillis();
    private final String runId = newRunId();
    private String configFile = "";
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Persistence persistence;
    private final Scripts scripts = new Scripts(this);
    private final Cluster cluster;
    private final Replication replication;
    private final ShutdownSequence shutdown;
    private volatile String fatalError;

    private EventLoopGroup group;
    private EventLoop loop;
    /** With io-threads N > 1: the N - 1 threads that serve client sockets; null otherwise. */
    private EventLoopGroup ioGroup;

    private Listeners tcp;
    private AcceptedConnections accepted;
    /** The TLS contexts; CONFIG SET of a tls-* parameter replaces them for new connections. */
    private final ServerTls tls;

    private final List<Channel> unixListeners = new ArrayList<>();
    private final List<Channel> metricsListeners = new ArrayList<>();
    private long loopThreadTid;
    private Transport transport = Transport.NIO;

    public RespiteServer(ServerConfig config) {
        this.config = config;
        if (config.cluster.enabled && config.databases > 1) {
            log.warn("WARNING: Changing databases number from {} to 1 since we are in cluster mode", config.databases);
            config.databases = 1;
        }
        this.keyspace = new Keyspace(config.databases, System::currentTimeMillis, config.encodingLimits);
        keyspace.holdExpiryDeletesWhile(pause::writesPaused);
        this.keyspace.useEvictionSettings(config.eviction);
        this.memory = new MemoryAccounting(keyspace, clients, stats);
        this.eviction = new Eviction(keyspace, config, memory);
        this.notifier = new KeyspaceNotifier(config, pubsub);
        this.activeExpiry = new ActiveExpiry(
                keyspace,
                task -> loop.execute(task),
                ms -> latencyMonitor.consider("expire-cycle", ms, config.latencyMonitorThreshold));
        this.acl = new AccessControl(config, table, stats);
        this.tls = new ServerTls(config.tls);
        this.cluster = new Cluster(config, tls);
        if (cluster.enabled()) {
            cluster.indexKeys(keyspace.db(0));
        }
        this.dispatcher = new CommandDispatcher(this, table);
        this.persistence = new Persistence(this);
        clients.setGate(persistence.outputGate());
        this.tracking = new ClientSideCaching(clients, () -> config.trackingTableMaxKeys);
        clients.beforeFlush(() -> {
            tracking.endOfBatch();
            cluster.beforeSleep();
        });
        this.blocking = new BlockedClients(dispatcher::reexecute, clients::flushAll, stats::countError);
        this.keyspace.setListener(new KeyspaceBridge(watches, persistence.propagation(), notifier, blocking, tracking));
        cluster.onSlotKeyDeleted((db, key) -> {
            notifier.notify(KeyspaceEvents.GENERIC, "del", db, key);
            persistence.propagation().keyRemoved(db, key);
        });
        this.snapshots = new Snapshots(config, keyspace);
        this.replication = new Replication(this);
        memory.countReplicaStream(replication::replicaBufferBytes);
        persistence.propagation().setReplicationSink(replication);
        this.shutdown = new ShutdownSequence(this);
        this.cron = new ServerCron(
                config, stats, clients, memory, eviction, activeExpiry, persistence, snapshots, replication, shutdown);
        DataContext data = new DataContext(keyspace, notifier, blocking, watches, config);
        AdminContext admin = new AdminContext(
                data,
                table,
                config,
                clients,
                acl,
                stats,
                persistence,
                snapshots,
                pause,
                slowLog,
                latencyMonitor,
                monitors,
                dispatcher,
                activeExpiry,
                memory,
                eviction,
                new InfoReport(this),
                disconnectHooks,
                this,
                tracking);
        CommandFamilies.registerAll(table, data, admin, pubsub, scripts);
        keyspace.setFunctions(scripts);
        new ReplicationCommands(replication).register(table);
        new ClusterCommands(cluster, keyspace.db(0), replication::offset).register(table);
        disconnectHooks.add(blocking::disconnected);
        disconnectHooks.add(watches::unwatchAll);
        disconnectHooks.add(pause::disconnected);
        disconnectHooks.add(monitors::remove);
        disconnectHooks.add(tracking::disable);
    }

    /** Applies the configuration's rename-command directives to the command table. */
    public void applyCommandRenames() throws ConfigFileException {
        for (CommandRename r : config.renamedCommands()) {
            try {
                table.rename(r.from(), r.to());
            } catch (IllegalArgumentException e) {
                throw r.directive().error(e.getMessage());
            }
        }
    }

    /** Binds the listeners and starts serving; returns once they accept connections. */
    public void start() throws InterruptedException {
        try {
            acl.loadConfigured();
            tls.load();
        } catch (AclRuleException | java.io.IOException | IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (cluster.enabled()) {
            try {
                cluster.start();
            } catch (NodesConfException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        transport = Transport.choose(config.ioTransport);
        IoHandlerFactory io = transport.ioHandlerFactory();
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("respite-keyspace"), io);
        loop = group.next();
        if (config.ioThreads > 1) {
            ioGroup = new MultiThreadIoEventLoopGroup(config.ioThreads - 1, new DefaultThreadFactory("respite-io"), io);
            log.info(
                    "Serving client sockets on {} I/O threads; commands run on the keyspace thread",
                    config.ioThreads - 1);
        }
        tcp = new Listeners(transport, io);
        accepted = new AcceptedConnections(loop);
        ServerBootstrap b = new ServerBootstrap()
                .group(tcp.acceptGroup(), ioGroup == null ? group : ioGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, config.tcpBacklog)
                .option(ChannelOption.SO_REUSEADDR, true)
                // Bound before the data is loaded, as Redis's listeners are; connections wait until start-up is over.
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Past the high mark a client's output waits and its commands stop running (Client.outputStalled).
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(128 * 1024, 512 * 1024))
                .childOption(ChannelOption.SO_KEEPALIVE, config.tcpKeepalive > 0)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(clientHandler());
                    }
                });
        if (config.tcpKeepalive > 0) {
            transport.keepIdle(b, config.tcpKeepalive);
        }
        // The same pipeline behind TLS: the SslHandler decrypts before the client handler sees bytes. Built even
        // without a tls-port, which CONFIG SET may give later.
        ServerBootstrap tb = b.clone().childHandler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(tls.listenerHandler(ch.alloc()), clientHandler());
            }
        });
        accepted.routeThroughQueue(b);
        accepted.routeThroughQueue(tb);
        try {
            tcp.start(b, tb, config.bind, config.port, config.tls.port);
        } catch (IllegalStateException e) {
            abandonLoops();
            throw e;
        }
        if (!config.unixsocket.isEmpty()) {
            listenOnUnixSocket();
        }
        // Redis says so once it listens and before it reads its data files; tools (Redis's test harness) connect
        // as soon as they see it.
        log.info("Server initialized");
        if (!config.appendonly) {
            try {
                // Clients are accepted during the load and answered -LOADING, as Redis answers them.
                if (!snapshots.loadAtStartup(loop, persistence, tcp::acceptConnections, stopping::get)) {
                    return;
                }
            } catch (IllegalStateException e) {
                abandonLoops();
                throw e;
            }
        }
        replication.start(loop);
        config.oomScore.setRoleSource(replication::isReplica);
        config.oomScore.apply();
        if (config.metricsPort != 0) {
            metricsListeners.addAll(new MetricsEndpoint(this).bind(group, transport));
        }
        loop.execute(() -> loopThreadTid = MemoryFigures.currentThreadTid());
        cron.start(loop);
        if (cluster.enabled()) {
            cluster.startBus(loop, transport, replication.clusterControl(), pause::holdForFailover, pubsub);
            loop.scheduleAtFixedRate(
                    () -> {
                        cluster.cron();
                        blocking.unblockWhere(cluster::blockedClientError);
                    },
                    100,
                    100,
                    TimeUnit.MILLISECONDS);
        }
        persistence.startup(loop, this::fatal);
        loop.execute(persistence::startupLoadOver);
        tcp.acceptConnections();
        for (Channel unix : unixListeners) {
            unix.config().setAutoRead(true);
            log.info("The server is now ready to accept connections at {}", config.unixsocket);
        }
    }

    /** A start that failed: the threads go at once. */
    private void abandonLoops() {
        if (tcp != null) {
            tcp.shutdown();
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    /** The handler for a new connection: decoding on its own thread when client sockets have I/O threads. */
    private ChannelHandler clientHandler() {
        return ioGroup == null ? new ClientHandler(this) : new IoThreadHandler(this, loop);
    }

    /**
     * Listens on the Unix domain socket at {@code unixsocket}, replacing a stale socket file as Redis does. Netty
     * offers server domain sockets through its native transports only.
     */
    private void listenOnUnixSocket() throws InterruptedException {
        java.nio.file.Path path = java.nio.file.Path.of(config.unixsocket);
        if (transport.serverDomainSocketChannel() == null) {
            abandonLoops();
            Throwable noEpoll = Epoll.unavailabilityCause();
            throw new IllegalStateException("Failed opening Unix socket " + path
                    + ": unixsocket needs io-transport epoll or io_uring (Netty's native transports, on Linux), not nio"
                    + (noEpoll == null ? "" : "; epoll is not available here: " + noEpoll.getMessage()));
        }
        try {
            java.nio.file.Files.deleteIfExists(path);
            ServerBootstrap b = new ServerBootstrap()
                    .group(tcp.acceptGroup(), ioGroup == null ? group : ioGroup)
                    .channel(transport.serverDomainSocketChannel())
                    .option(ChannelOption.SO_BACKLOG, config.tcpBacklog)
                    .option(ChannelOption.AUTO_READ, false)
                    .childOption(
                            ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(128 * 1024, 512 * 1024))
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(clientHandler());
                        }
                    });
            Channel unix = accepted.routeThroughQueue(b)
                    .bind(new DomainSocketAddress(path.toFile()))
                    .sync()
                    .channel();
            unixListeners.add(unix);
            if (config.unixsocketperm != 0) {
                java.nio.file.Files.setPosixFilePermissions(path, UnixPermissions.of(config.unixsocketperm));
            }
        } catch (java.io.IOException | RuntimeException e) {
            abandonLoops();
            throw new IllegalStateException("Failed opening Unix socket " + path + ": " + e.getMessage(), e);
        }
    }

    /** Connections accepted on the listeners and not yet registered on the keyspace thread. */
    public AcceptedConnections acceptedConnections() {
        return accepted;
    }

    /** The cron frequency in force: hz, raised under dynamic-hz while many clients are connected. */
    public int effectiveHz() {
        return cron.effectiveHz();
    }

    /** The data on disk cannot be loaded: the server must not run with a partial dataset. */
    private void fatal(String message) {
        log.error("{}", message);
        fatalError = message;
        new Thread(this::stop, "fatal-stop").start();
    }

    /** Why the server stopped on its own at startup, or null. */
    public String fatalError() {
        return fatalError;
    }

    /**
     * Saves what the configuration asks to keep before the process goes away (SHUTDOWN, SIGTERM, SIGINT):
     * an RDB snapshot when save rules are set or {@code forceSave}, unless {@code noSave}. Runs on the
     * event loop. Returns false if saving failed.
     */
    public boolean saveBeforeExit(boolean forceSave, boolean noSave) {
        if (noSave || (!forceSave && !snapshots.hasSaveRules())) {
            return true;
        }
        log.info("Saving the final RDB snapshot before exiting.");
        try {
            snapshots.save();
            return true;
        } catch (java.io.IOException e) {
            log.warn("Error trying to save the DB, can't exit: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public void shutdown(Client c, ShutdownOptions options) {
        shutdown.request(c, options);
    }

    @Override
    public boolean abortShutdown() {
        return shutdown.abort();
    }

    /** SHUTDOWN's progress, and where stop signals go. */
    public ShutdownSequence shutdownSequence() {
        return shutdown;
    }

    /** True once a stop has begun (a busy script is ended then). */
    public boolean isStopping() {
        return stopping.get();
    }

    /** Lua scripts, function libraries and their engines. */
    public ServerTls tls() {
        return tls;
    }

    public Cluster cluster() {
        return cluster;
    }

    public Scripts scripts() {
        return scripts;
    }

    /** False once a stop has begun. */
    public boolean isRunning() {
        return group != null && !group.isShuttingDown();
    }

    /** Hands {@code task} to the event loop that owns the keyspace: how work done elsewhere reports back. */
    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public EventLoop keyspaceLoop() {
        return loop;
    }

    @Override
    public void pauseCron(boolean paused) {
        cron.setPaused(paused);
    }

    /** Runs {@code work} on the event loop and waits for it; used by the signal handler. */
    public <T> T onLoop(java.util.concurrent.Callable<T> work) throws Exception {
        return loop.submit(work).get(60, TimeUnit.SECONDS);
    }

    /** Closes the listeners and clients after their pending replies, then ends the event loop. */
    public synchronized void stop() {
        if (group == null || !stopping.compareAndSet(false, true)) {
            return;
        }
        try {
            loop.submit(() -> {
                        tcp.close();
                        for (Channel l : unixListeners) {
                            l.close();
                        }
                        for (Channel l : metricsListeners) {
                            l.close();
                        }
                        clients.flushAll();
                        persistence.endBatch();
                        cluster.shutdown();
                    })
                    .await(5, TimeUnit.SECONDS);
            // Everything logged so far reaches the disk; replies it held are released on the loop meanwhile.
            persistence.flushAndClose();
            loop.submit(() -> {
                        clients.flushAll();
                        for (Client c : new ArrayList<>(clients.all())) {
                            c.channel().close();
                        }
                    })
                    .await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // I/O threads first: the connections they close still report to the keyspace thread.
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        tcp.shutdown();
        if (!config.unixsocket.isEmpty() && transport.serverDomainSocketChannel() != null) {
            try {
                java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(config.unixsocket));
            } catch (java.io.IOException e) {
                log.warn("Could not remove the Unix socket file {}: {}", config.unixsocket, e.getMessage());
            }
        }
        stopped.countDown();
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Client state to let go of when a connection closes or RESETs. */
    public DisconnectHooks disconnectHooks() {
        return disconnectHooks;
    }

    /** used_memory and the figures around it, for INFO, MEMORY and /metrics. */
    public MemoryAccounting memory() {
        return memory;
    }

    /** maxmemory enforcement: the dispatcher runs it before commands that may grow the dataset. */
    public Eviction eviction() {
        return eviction;
    }

    @Override
    public ServerConfig config() {
        return config;
    }

    @Override
    public Keyspace keyspace() {
        return keyspace;
    }

    public CommandTable commands() {
        return table;
    }

    /** ACL users, their permissions and the ACL LOG. */
    @Override
    public AccessControl acl() {
        return acl;
    }

    public CommandDispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public void dispatch(Client c, byte[][] args) {
        dispatcher.execute(c, args);
    }

    @Override
    public void propagate(byte[][]... commands) {
        persistence.propagation().replace(commands);
    }

    @Override
    public boolean propagates() {
        return persistence.propagation().active();
    }

    @Override
    public ServerStats stats() {
        return stats;
    }

    public ClientSideCaching tracking() {
        return tracking;
    }

    @Override
    public Clients clients() {
        return clients;
    }

    public BlockedClients blocking() {
        return blocking;
    }

    public Snapshots snapshots() {
        return snapshots;
    }

    public WatchedKeys watches() {
        return watches;
    }

    public ClientPause pause() {
        return pause;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public LatencyMonitor latencyMonitor() {
        return latencyMonitor;
    }

    public Monitors monitors() {
        return monitors;
    }

    public PubSubHub pubsub() {
        return pubsub;
    }

    /** Where command families report key changes for keyspace notifications. */
    public Persistence persistence() {
        return persistence;
    }

    /** This server's replication group membership: its replicas, its stream and offsets. */
    public Replication replication() {
        return replication;
    }

    public long startMillis() {
        return startMillis;
    }

    public String runId() {
        return runId;
    }

    /** The absolute path of the configuration file the server started with, or "". */
    @Override
    public String configFile() {
        return configFile;
    }

    public void setConfigFile(String configFile) {
        this.configFile = configFile;
    }

    @Override
    public boolean reloadTls() {
        if (!tls.loaded() && !tls.wanted()) {
            // TLS unused: the files are read when it is configured.
            return true;
        }
        try {
            tls.load();
            log.info("TLS configuration reloaded; new connections use it");
            return true;
        } catch (java.io.IOException | IllegalArgumentException e) {
            log.warn("Failed applying the new TLS configuration: {}. The previous one stays.", e.getMessage());
            return false;
        }
    }

    @Override
    public boolean moveListeners() {
        return tcp.moveTo(config.bind, config.port, config.tls.port);
    }

    /** Applies configuration that CONFIG SET changed to the parts that cache it. */
    @Override
    public void configChanged() {
        acl.configChanged();
        for (Client c : clients.all()) {
            c.configChanged();
        }
        persistence.configChanged();
    }

    /** The kernel thread id of the event loop (Redis's main thread), 0 until it ran or where unknown. */
    public long loopThreadTid() {
        return loopThreadTid;
    }

    public String transportName() {
        return transport.toString();
    }

    private static String newRunId() {
        java.security.SecureRandom rnd = new java.security.SecureRandom();
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 40; i++) {
            sb.append(Character.forDigit(rnd.nextInt(16), 16));
        }
        return sb.toString();
    }
}
