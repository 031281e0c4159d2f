package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.acl.AccessControl;
import dev.respite.server.acl.AclCategories;
import dev.respite.server.acl.AclCheck;
import dev.respite.server.acl.AclDenial;
import dev.respite.server.acl.AclFile;
import dev.respite.server.acl.AclLog;
import dev.respite.server.acl.AclRuleException;
import dev.respite.server.acl.AclSelector;
import dev.respite.server.acl.AclUser;
import dev.respite.server.acl.AclUsers;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.PubSubHub;
import dev.respite.server.pubsub.SubscriptionKind;
import dev.respite.storage.types.Doubles;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** ACL and its subcommands: users, their rules, the denial log, and the aclfile. */
public final class AclCommands {
    private static final String NO_ACLFILE =
            "ERR This Redis instance is not configured to use an ACL file. You may want to "
                    + "specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
                    + "configuration file set) in order to store users in the Redis configuration.";

    private final AdminContext server;
    private final AccessControl acl;
    private final PubSubHub pubsub;
    private final SecureRandom random = new SecureRandom();

    public AclCommands(AdminContext server, PubSubHub pubsub) {
        this.server = server;
        this.acl = server.acl();
        this.pubsub = pubsub;
    }

    public void register(CommandTable t) {
        t.bind("acl|cat", this::cat);
        t.bind("acl|deluser", this::deluser);
        t.bind("acl|dryrun", this::dryrun);
        t.bind("acl|genpass", this::genpass);
        t.bind("acl|getuser", this::getuser);
        t.bind("acl|list", this::list);
        t.bind("acl|load", this::load);
        t.bind("acl|log", this::log);
        t.bind("acl|save", this::save);
        t.bind("acl|setuser", this::setuser);
        t.bind("acl|users", this::users);
        t.bind("acl|whoami", this::whoami);
        t.bind("acl|help", (c, a) -> Help.reply(c, server.commands().lookup("acl")));
    }

    private void cat(Client c, byte[][] a) {
        if (a.length > 3) {
            throw new CommandError(
                    "ERR unknown subcommand or wrong number of arguments for '" + Args.str(a[1]) + "'. Try ACL HELP.");
        }
        if (a.length == 2) {
            c.reply().array(AclCategories.ALL.size());
            for (String cat : AclCategories.ALL) {
                c.reply().bulk(cat);
            }
            return;
        }
        String cat = Args.str(a[2]).toLowerCase(Locale.ROOT);
        if (!AclCategories.exists(cat)) {
            throw new CommandError("ERR Unknown category '" + Args.str(a[2]) + "'");
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec s : server.commands().all()) {
            if (AclCategories.of(s).contains(cat)) {
                names.add(s.name());
            }
            for (CommandSpec sub : s.subcommands().values()) {
                if (AclCategories.of(sub).contains(cat)) {
                    names.add(sub.fullName());
                }
            }
        }
        c.reply().array(names.size());
        for (String n : names) {
            c.reply().bulk(n);
        }
    }

    private void setuser(Client c, byte[][] a) {
        List<String> rules = new ArrayList<>();
        for (int i = 3; i < a.length; i++) {
            rules.add(Args.str(a[i]));
        }
        String name = Args.str(a[2]);
        boolean narrowed;
        try {
            narrowed = acl.users().setUser(name, rules);
        } catch (AclRuleException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        if (narrowed) {
            disconnectRevokedSubscribers(acl.users().get(name));
        }
        c.reply().ok();
    }

    /** Ends, at once, the connections of {@code u} subscribed to a channel or pattern it may no longer use. */
    private void disconnectRevokedSubscribers(AclUser u) {
        for (Client x : new ArrayList<>(server.clients().all())) {
            if (x.aclUser() == u && x.inPubSubContext() && !keepsSubscriptions(u, x)) {
                server.clients().unregister(x);
                x.closeAfterReply();
            }
        }
    }

    private boolean keepsSubscriptions(AclUser u, Client x) {
        for (SubscriptionKind kind : SubscriptionKind.values()) {
            for (byte[] name : pubsub.subscriptions(x, kind)) {
                if (!u.mayKeepSubscription(name, kind == SubscriptionKind.PATTERN)) {
                    return false;
                }
            }
        }
        return true;
    }

    private void getuser(Client c, byte[][] a) {
        AclUser u = acl.users().get(Args.str(a[2]));
        RespWriter r = c.reply();
        if (u == null) {
            r.nullBulk();
            return;
        }
        r.map(6);
        r.bulk("flags");
        r.set(u.flags().size());
        for (String f : u.flags()) {
            r.bulk(f);
        }
        r.bulk("passwords");
        strings(r, u.passwordHashes());
        r.bulk("commands");
        r.bulk(u.describeCommands());
        r.bulk("keys");
        r.bulk(u.describeKeys());
        r.bulk("channels");
        r.bulk(u.describeChannels());
        r.bulk("selectors");
        r.array(u.extraSelectors().size());
        for (AclSelector s : u.extraSelectors()) {
            r.map(3);
            r.bulk("commands");
            r.bulk(s.describeCommands());
            r.bulk("keys");
            r.bulk(s.describeKeys());
            r.bulk("channels");
            r.bulk(s.describeChannels());
        }
    }

    private void deluser(Client c, byte[][] a) {
        for (int i = 2; i < a.length; i++) {
            if (Args.str(a[i]).equals(AclUsers.DEFAULT)) {
                throw new CommandError("ERR The 'default' user cannot be removed");
            }
        }
        long deleted = 0;
        for (int i = 2; i < a.length; i++) {
            String name = Args.str(a[i]);
            AclUser u = acl.users().get(name);
            if (u != null && acl.users().delete(name)) {
                deleted++;
                disconnectUsersOf(u);
            }
        }
        c.reply().integer(deleted);
    }

    private void list(Client c, byte[][] a) {
        c.reply().array(acl.users().all().size());
        for (AclUser u : acl.users().all()) {
            c.reply().bulk(u.describe());
        }
    }

    private void users(Client c, byte[][] a) {
        c.reply().array(acl.users().all().size());
        for (AclUser u : acl.users().all()) {
            c.reply().bulk(u.name());
        }
    }

    private void whoami(Client c, byte[][] a) {
        c.reply().bulk(c.user());
    }

    private void genpass(Client c, byte[][] a) {
        if (a.length > 3) {
            throw CommandError.wrongArity("acl|genpass");
        }
        long bits = 256;
        if (a.length == 3) {
            bits = Args.parseLong(a[2], 0, a[2].length);
            if (bits <= 0 || bits > 4096) {
                throw new CommandError(
                        "ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096");
            }
        }
        int chars = (int) ((bits + 3) / 4);
        byte[] raw = new byte[(chars + 1) / 2];
        random.nextBytes(raw);
        c.reply().bulk(HexFormat.of().formatHex(raw).substring(0, chars));
    }

    private void dryrun(Client c, byte[][] a) {
        AclUser u = acl.users().get(Args.str(a[2]));
        if (u == null) {
            throw new CommandError("ERR User '" + Args.str(a[2]) + "' not found");
        }
        byte[][] cmd = java.util.Arrays.copyOfRange(a, 3, a.length);
        CommandSpec spec = server.commands().lookup(cmd[0]);
        if (spec == null) {
            throw new CommandError("ERR Command '" + Args.str(cmd[0]) + "' not found");
        }
        if (spec.hasSubcommands() && cmd.length >= 2) {
            spec = CommandTable.subcommand(spec, cmd[1]);
            if (spec == null) {
                throw new CommandError("ERR Command '" + Args.str(cmd[0]) + "' not found");
            }
        }
        if (!spec.arityAccepts(cmd.length)) {
            throw CommandError.wrongArity(spec.fullName());
        }
        AclDenial d = AclCheck.check(u, spec, cmd);
        if (d == null) {
            c.reply().ok();
        } else {
            c.reply().bulk(d.dryRunText());
        }
    }

    private void log(Client c, byte[][] a) {
        if (a.length > 3) {
            throw CommandError.wrongArity("acl|log");
        }
        int count = 10;
        if (a.length == 3) {
            if (Args.is(a[2], "reset")) {
                acl.log().reset();
                c.reply().ok();
                return;
            }
            count = (int) Math.max(0, Math.min(Args.toLong(a[2]), Integer.MAX_VALUE));
        }
        List<AclLog.Entry> entries = acl.log().newest(count);
        RespWriter r = c.reply();
        long now = System.currentTimeMillis();
        r.array(entries.size());
        for (AclLog.Entry e : entries) {
            r.map(10);
            r.bulk("count");
            r.integer(e.count());
            r.bulk("reason");
            r.bulk(e.reason());
            r.bulk("context");
            r.bulk(e.context());
            r.bulk("object");
            r.bulk(e.object());
            r.bulk("username");
            r.bulk(e.username());
            r.bulk("age-seconds");
            r.doubleValue(Doubles.format((now - e.updatedMillis()) / 1000.0));
            r.bulk("client-info");
            r.bulk(e.clientInfo());
            r.bulk("entry-id");
            r.integer(e.entryId());
            r.bulk("timestamp-created");
            r.integer(e.createdMillis());
            r.bulk("timestamp-last-updated");
            r.integer(e.updatedMillis());
        }
    }

    private void save(Client c, byte[][] a) {
        if (server.config().acl.aclfile.isEmpty()) {
            throw new CommandError(NO_ACLFILE);
        }
        try {
            AclFile.write(acl.aclfile(), acl.users());
        } catch (IOException e) {
            throw new CommandError(
                    "ERR There was an error trying to save the ACLs. Please check the server logs for more information");
        }
        c.reply().ok();
    }

    private void load(Client c, byte[][] a) {
        if (server.config().acl.aclfile.isEmpty()) {
            throw new CommandError(NO_ACLFILE);
        }
        try {
            acl.users().replaceAll(AclFile.read(acl.aclfile(), acl.users()));
        } catch (AclRuleException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        // Every user but default was replaced: connections logged in as the old ones end, as in Redis.
        for (Client x : new ArrayList<>(server.clients().all())) {
            if (x.aclUser() != acl.users().defaultUser()) {
                x.closeAfterReply();
            }
        }
        c.reply().ok();
    }

    private void disconnectUsersOf(AclUser u) {
        for (Client x : new ArrayList<>(server.clients().all())) {
            if (x.aclUser() == u) {
                x.closeAfterReply();
            }
        }
    }

    private static void strings(RespWriter r, List<String> values) {
        r.array(values.size());
        for (String v : values) {
            r.bulk(v);
        }
    }
}
