package dev.respite.server.commands;

import dev.respite.server.ActiveExpiry;
import dev.respite.server.Eviction;
import dev.respite.server.ServerStats;
import dev.respite.server.acl.AccessControl;
import dev.respite.server.blocking.BlockedClients;
import dev.respite.server.command.ClientPause;
import dev.respite.server.command.CommandDispatcher;
import dev.respite.server.command.CommandTable;
import dev.respite.server.command.WatchedKeys;
import dev.respite.server.config.ServerConfig;
import dev.respite.server.diagnostics.LatencyMonitor;
import dev.respite.server.diagnostics.Monitors;
import dev.respite.server.diagnostics.SlowLog;
import dev.respite.server.info.InfoReport;
import dev.respite.server.info.MemoryAccounting;
import dev.respite.server.net.Client;
import dev.respite.server.net.Clients;
import dev.respite.server.net.DisconnectHooks;
import dev.respite.server.persistence.Persistence;
import dev.respite.server.persistence.Snapshots;
import dev.respite.server.pubsub.KeyspaceNotifier;
import dev.respite.server.tracking.ClientSideCaching;
import dev.respite.storage.Keyspace;
import io.netty.channel.EventLoop;
import java.util.function.Consumer;

/**
 * The services the server and connection families (CONFIG, INFO, CLIENT, ACL, SHUTDOWN, DEBUG, MEMORY, MULTI...)
 * work with, besides the data they share with the data families. Built once by the server.
 */
public record AdminContext(
        DataContext data,
        CommandTable commands,
        ServerConfig config,
        Clients clients,
        AccessControl acl,
        ServerStats stats,
        Persistence persistence,
        Snapshots snapshots,
        ClientPause pause,
        SlowLog slowLog,
        LatencyMonitor latencyMonitor,
        Monitors monitors,
        CommandDispatcher dispatcher,
        ActiveExpiry activeExpiry,
        MemoryAccounting memory,
        Eviction eviction,
        InfoReport info,
        DisconnectHooks disconnectHooks,
        ServerControl control,
        ClientSideCaching tracking) {

    public Keyspace keyspace() {
        return data.keyspace();
    }

    public KeyspaceNotifier notifier() {
        return data.notifier();
    }

    public BlockedClients blocking() {
        return data.blocking();
    }

    public WatchedKeys watches() {
        return data.watches();
    }

    /** Registers state to let go of when a client disconnects or RESETs. */
    public void onDisconnect(Consumer<Client> hook) {
        disconnectHooks.add(hook);
    }

    /** Lets go of a client's state, as when it disconnects (RESET). */
    public void disconnected(Client c) {
        disconnectHooks.disconnected(c);
    }

    public void shutdown(Client c, ShutdownOptions options) {
        control.shutdown(c, options);
    }

    public boolean abortShutdown() {
        return control.abortShutdown();
    }

    public void configChanged() {
        control.configChanged();
    }

    public boolean moveListeners() {
        return control.moveListeners();
    }

    public boolean reloadTls() {
        return control.reloadTls();
    }

    public String configFile() {
        return control.configFile();
    }

    public void execute(Runnable task) {
        control.execute(task);
    }

    public EventLoop keyspaceLoop() {
        return control.keyspaceLoop();
    }
}
