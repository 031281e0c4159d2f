package dev.respite.server.commands;

import dev.respite.server.command.CommandTable;
import dev.respite.server.pubsub.PubSubHub;
import dev.respite.server.scripting.Scripts;

/**
 * Every command family, registered into the command table. A new family is one line here: data families
 * take the {@link DataContext}, server and connection families the {@link AdminContext}.
 */
public final class CommandFamilies {
    private CommandFamilies() {}

    public static void registerAll(
            CommandTable table, DataContext data, AdminContext admin, PubSubHub pubsub, Scripts scripts) {
        new ConnectionCommands(admin).register(table);
        new ServerCommands(admin).register(table);
        new KeyCommands(data).register(table);
        new StringCommands(data).register(table);
        new BitCommands(data).register(table);
        new ExpiryCommands(data).register(table);
        new ObjectCommands(admin).register(table);
        new MemoryCommands(admin).register(table);
        new DebugCommands(admin, scripts).register(table);
        new TransactionCommands(admin).register(table);
        new DiagnosticCommands(admin).register(table);
        new PubSubCommands(admin, pubsub).register(table);
        new AclCommands(admin, pubsub).register(table);
        new AofCommands(admin).register(table);
        new ModuleCommands(admin).register(table);
        new DumpCommands(data).register(table);
        new PersistenceCommands(admin.snapshots(), admin::keyspaceLoop).register(table);
        new HashCommands(data).register(table);
        ListCommands lists = new ListCommands(data);
        lists.register(table);
        new BlockingListCommands(data, lists).register(table);
        new SetCommands(data).register(table);
        SortedSetCommands sortedSets = new SortedSetCommands(data);
        sortedSets.register(table);
        new GeoCommands(data, sortedSets).register(table);
        new HyperLogLogCommands(data).register(table);
        new SortCommands(data).register(table);
        new StreamCommands(data).register(table);
        new MigrateCommands(admin).register(table);
        new ScriptingCommands(scripts).register(table);
        new FunctionCommands(scripts, () -> data.keyspace().addDirty(1)).register(table);
    }
}
