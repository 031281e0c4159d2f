package dev.respite.server.commands;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.persistence.Snapshots;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The persistence family: SAVE, BGSAVE and LASTSAVE. */
public final class PersistenceCommands {
    private static final Logger log = LoggerFactory.getLogger(PersistenceCommands.class);

    private final Snapshots snapshots;
    private final Supplier<EventLoop> keyspaceLoop;

    public PersistenceCommands(Snapshots snapshots, Supplier<EventLoop> keyspaceLoop) {
        this.snapshots = snapshots;
        this.keyspaceLoop = keyspaceLoop;
    }

    public void register(CommandTable t) {
        t.bind("save", this::save);
        t.bind("bgsave", this::bgsave);
        t.bind("lastsave", this::lastsave);
    }

    private void save(Client c, byte[][] a) {
        if (snapshots.bgsaveInProgress()) {
            throw new CommandError("ERR Background save already in progress");
        }
        try {
            snapshots.save();
        } catch (IOException e) {
            log.warn("Failed saving the DB: {}", e.getMessage());
            throw new CommandError("ERR");
        }
        c.reply().ok();
    }

    private void bgsave(Client c, byte[][] a) {
        boolean schedule = false;
        if (a.length == 2 && Args.is(a[1], "schedule")) {
            schedule = true;
        } else if (a.length > 1) {
            throw CommandError.syntax();
        }
        if (snapshots.bgsaveInProgress()) {
            throw new CommandError("ERR Background save already in progress");
        }
        try {
            snapshots.bgsave(keyspaceLoop.get());
        } catch (IllegalStateException busy) {
            if (schedule) {
                snapshots.scheduleAfterCurrent();
                c.reply().simple("Background saving scheduled");
                return;
            }
            throw new CommandError("ERR Another child process is active (AOF?): can't BGSAVE right now. "
                    + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        } catch (IOException e) {
            log.warn("Can't save in background: {}", e.getMessage());
            throw new CommandError("ERR");
        }
        c.reply().simple("Background saving started");
    }

    private void lastsave(Client c, byte[][] a) {
        c.reply().integer(snapshots.lastSaveSeconds());
    }
}
