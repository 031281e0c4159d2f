package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.ServerVersion;
import dev.respite.server.acl.AclUser;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;

/** The connection family: PING, ECHO, QUIT, RESET, HELLO, AUTH, SELECT and CLIENT. */
public final class ConnectionCommands {
    private final AdminContext server;
    private final ClientCommands client;

    public ConnectionCommands(AdminContext server) {
        this.server = server;
        this.client = new ClientCommands(server);
    }

    public void register(CommandTable t) {
        t.bind("ping", this::ping);
        t.bind("echo", this::echo);
        t.bind("quit", this::quit);
        t.bind("reset", this::reset);
        t.bind("hello", this::hello);
        t.bind("auth", this::auth);
        t.bind("select", this::select);
        client.register(t);
    }

    private void ping(Client c, byte[][] a) {
        if (a.length > 2) {
            throw CommandError.wrongArity("ping");
        }
        if (c.inPubSubContext() && c.protocol() == 2) {
            // A subscribed RESP2 client reads every reply as a message frame, so PING answers like one.
            c.reply().array(2);
            c.reply().bulk("pong");
            if (a.length == 2) {
                c.reply().bulk(a[1]);
            } else {
                c.reply().emptyBulk();
            }
        } else if (a.length == 2) {
            c.reply().bulk(a[1]);
        } else {
            c.reply().simple("PONG");
        }
    }

    private void echo(Client c, byte[][] a) {
        c.reply().bulk(a[1]);
    }

    private void quit(Client c, byte[][] a) {
        c.reply().ok();
        c.closeAfterReply();
    }

    private void reset(Client c, byte[][] a) {
        if (c.inTransaction()) {
            c.endTransaction();
        }
        server.disconnected(c);
        c.setWatchBroken(false);
        c.setAsking(false);
        c.setClusterReadOnly(false);
        c.select(0);
        c.setProtocol(2);
        c.setName("");
        c.reply().setMuted(false);
        AclUser defaultUser = server.acl().users().defaultUser();
        c.setUser(defaultUser);
        c.setAuthenticated(defaultUser.enabled() && defaultUser.nopass());
        c.reply().simple("RESET");
    }

    private void hello(Client c, byte[][] a) {
        int proto = c.protocol();
        int i = 1;
        if (a.length > 1) {
            long v = Args.parseLong(a[1], 0, a[1].length);
            if (v == Long.MIN_VALUE) {
                throw new CommandError("ERR Protocol version is not an integer or out of range");
            }
            if (v < 2 || v > 3) {
                throw new CommandError("NOPROTO unsupported protocol version");
            }
            proto = (int) v;
            i = 2;
        }
        byte[] user = null;
        byte[] pass = null;
        String name = null;
        for (; i < a.length; i++) {
            boolean more = i + 1 < a.length;
            if (Args.is(a[i], "auth") && i + 2 < a.length) {
                user = a[i + 1];
                pass = a[i + 2];
                i += 2;
            } else if (Args.is(a[i], "setname") && more) {
                name = Args.str(a[i + 1]);
                i++;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + Args.quoteForError(a[i]) + "'");
            }
        }
        if (user != null && !authenticate(c, a[0], user, pass)) {
            throw new CommandError("WRONGPASS invalid username-password pair or user is disabled.");
        }
        if (!c.isAuthenticated()) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the "
                    + "RESP protocol version at the same time");
        }
        if (name != null) {
            ClientCommands.validateName(name);
            c.setName(name);
        }
        c.setProtocol(proto);
        RespWriter r = c.reply();
        r.map(7);
        r.bulk("server");
        r.bulk("redis");
        r.bulk("version");
        r.bulk(ServerVersion.REDIS_VERSION);
        r.bulk("proto");
        r.integer(proto);
        r.bulk("id");
        r.integer(c.id());
        r.bulk("mode");
        r.bulk("standalone");
        r.bulk("role");
        r.bulk("master");
        r.bulk("modules");
        r.array(0);
    }

    private void auth(Client c, byte[][] a) {
        if (a.length > 3) {
            throw CommandError.syntax();
        }
        byte[] user = a.length == 3 ? a[1] : Args.bytes("default");
        byte[] pass = a[a.length - 1];
        if (a.length == 2 && server.acl().users().defaultUser().nopass()) {
            throw new CommandError("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        if (!authenticate(c, a[0], user, pass)) {
            throw new CommandError("WRONGPASS invalid username-password pair or user is disabled.");
        }
        c.reply().ok();
    }

    /**
     * Logs the connection in as an ACL user; a failure is recorded in ACL LOG, as Redis does, under the
     * command name as sent (AUTH or HELLO).
     */
    private boolean authenticate(Client c, byte[] command, byte[] user, byte[] pass) {
        AclUser u = server.acl().authenticate(Args.str(user), pass);
        if (u == null) {
            server.acl()
                    .logFailedAuth(
                            Args.str(command),
                            Args.str(user),
                            c.executingTransaction(),
                            ClientDescription.describe(server.monitors(), c));
            return false;
        }
        c.setUser(u);
        c.setAuthenticated(true);
        return true;
    }

    private void select(Client c, byte[][] a) {
        int idx = Args.toInt(a[1]);
        if (server.config().cluster.enabled && idx != 0) {
            throw new CommandError("ERR SELECT is not allowed in cluster mode");
        }
        if (idx < 0 || idx >= server.keyspace().count()) {
            throw new CommandError("ERR DB index is out of range");
        }
        c.select((int) idx);
        c.reply().ok();
    }
}
