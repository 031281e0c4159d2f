package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.tracking.ClientSideCaching;
import dev.respite.server.tracking.TrackingMode;
import java.util.ArrayList;
import java.util.List;

/** CLIENT and its subcommands: what a connection says about itself and what operators do to others. */
final class ClientCommands {
    private final AdminContext server;

    ClientCommands(AdminContext server) {
        this.server = server;
    }

    void register(CommandTable t) {
        t.bind("client|id", this::id);
        t.bind("client|setname", this::setName);
        t.bind("client|getname", this::getName);
        t.bind("client|setinfo", this::setInfo);
        t.bind("client|info", this::info);
        t.bind("client|list", this::list);
        t.bind("client|kill", this::kill);
        t.bind("client|unblock", this::unblock);
        t.bind("client|reply", this::replyMode);
        t.bind("client|pause", this::pause);
        t.bind("client|unpause", this::unpause);
        t.bind("client|no-evict", this::noEvict);
        t.bind("client|no-touch", this::noTouch);
        t.bind("client|tracking", this::tracking);
        t.bind("client|caching", this::caching);
        t.bind("client|getredir", this::getRedir);
        t.bind("client|trackinginfo", this::trackingInfo);
        t.bind("client|help", this::help);
    }

    static void validateName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                throw new CommandError("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
    }

    private void id(Client c, byte[][] a) {
        c.reply().integer(c.id());
    }

    private void setName(Client c, byte[][] a) {
        String name = Args.str(a[2]);
        validateName(name);
        c.setName(name);
        c.reply().ok();
    }

    private void getName(Client c, byte[][] a) {
        if (c.name().isEmpty()) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(c.name());
        }
    }

    private void setInfo(Client c, byte[][] a) {
        String value = Args.str(a[3]);
        String attr = Args.str(a[2]);
        boolean libName = Args.is(a[2], "lib-name");
        if (!libName && !Args.is(a[2], "lib-ver")) {
            throw new CommandError("ERR Unrecognized option '" + attr + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < '!' || ch > '~') {
                throw new CommandError("ERR " + attr + " cannot contain spaces, newlines or special characters.");
            }
        }
        if (libName) {
            c.setLibName(value);
        } else {
            c.setLibVersion(value);
        }
        c.reply().ok();
    }

    private void info(Client c, byte[][] a) {
        c.reply().verbatim("txt", describe(c) + "\n");
    }

    private void list(Client c, byte[][] a) {
        List<Client> chosen = new ArrayList<>();
        if (a.length == 2) {
            chosen.addAll(server.clients().all());
        } else if (a.length == 4 && Args.is(a[2], "type")) {
            String type = Args.str(a[3]).toLowerCase();
            switch (type) {
                case "normal", "pubsub", "master", "replica", "slave" -> {
                    String wanted = type.equals("slave") ? "replica" : type;
                    server.clients().all().stream()
                            .filter(x -> ClientDescription.type(x).equals(wanted))
                            .forEach(chosen::add);
                }
                default -> throw new CommandError("ERR Unknown client type '" + Args.str(a[3]) + "'");
            }
        } else if (a.length >= 4 && Args.is(a[2], "id")) {
            for (int i = 3; i < a.length; i++) {
                long id = Args.parseLong(a[i], 0, a[i].length);
                if (id <= 0) {
                    throw new CommandError("ERR Invalid client ID");
                }
                Client other = server.clients().get(id);
                if (other != null) {
                    chosen.add(other);
                }
            }
        } else {
            throw CommandError.syntax();
        }
        StringBuilder sb = new StringBuilder();
        for (Client x : chosen) {
            sb.append(describe(x)).append('\n');
        }
        c.reply().verbatim("txt", sb.toString());
    }

    private String describe(Client x) {
        return ClientDescription.describe(server.monitors(), x);
    }

    private void kill(Client c, byte[][] a) {
        if (a.length == 3) {
            String addr = Args.str(a[2]);
            for (Client x : server.clients().all()) {
                if (x.address().equals(addr)) {
                    x.closeAfterReply();
                    c.reply().ok();
                    return;
                }
            }
            throw new CommandError("ERR No such client");
        }
        Long id = null;
        String addr = null;
        String laddr = null;
        String user = null;
        String type = null;
        boolean skipMe = true;
        if ((a.length - 2) % 2 != 0) {
            throw CommandError.syntax();
        }
        for (int i = 2; i < a.length; i += 2) {
            byte[] v = a[i + 1];
            if (Args.is(a[i], "id")) {
                long n = Args.parseLong(v, 0, v.length);
                if (n <= 0) {
                    throw new CommandError("ERR client-id should be greater than 0");
                }
                id = n;
            } else if (Args.is(a[i], "addr")) {
                addr = Args.str(v);
            } else if (Args.is(a[i], "laddr")) {
                laddr = Args.str(v);
            } else if (Args.is(a[i], "user")) {
                user = Args.str(v);
                if (server.acl().users().get(user) == null) {
                    throw new CommandError("ERR No such user '" + user + "'");
                }
            } else if (Args.is(a[i], "skipme")) {
                if (Args.is(v, "yes")) {
                    skipMe = true;
                } else if (Args.is(v, "no")) {
                    skipMe = false;
                } else {
                    throw CommandError.syntax();
                }
            } else if (Args.is(a[i], "type")) {
                type = Args.str(v).toLowerCase();
                if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                    throw new CommandError("ERR Unknown client type '" + Args.str(v) + "'");
                }
                type = type.equals("slave") ? "replica" : type;
            } else {
                throw CommandError.syntax();
            }
        }
        long killed = 0;
        for (Client x : new ArrayList<>(server.clients().all())) {
            if ((id != null && x.id() != id)
                    || (addr != null && !x.address().equals(addr))
                    || (laddr != null && !x.localAddress().equals(laddr))
                    || (user != null && !x.user().equals(user))
                    || (type != null && !ClientDescription.type(x).equals(type))
                    || (skipMe && x == c)) {
                continue;
            }
            x.closeAfterReply();
            killed++;
        }
        c.reply().integer(killed);
    }

    private void unblock(Client c, byte[][] a) {
        if (a.length > 4) {
            throw CommandError.syntax();
        }
        long id = Args.toLong(a[2]);
        boolean withError = false;
        if (a.length == 4) {
            if (Args.is(a[3], "error")) {
                withError = true;
            } else if (!Args.is(a[3], "timeout")) {
                throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        Client target = server.clients().get(id);
        boolean done = target != null && server.blocking().unblock(target, withError);
        if (done) {
            target.scheduleFlush();
        }
        c.reply().integer(done ? 1 : 0);
    }

    private void replyMode(Client c, byte[][] a) {
        if (Args.is(a[2], "on")) {
            c.reply().setMuted(false);
            c.reply().ok();
        } else if (Args.is(a[2], "off")) {
            c.reply().setMuted(true);
        } else if (Args.is(a[2], "skip")) {
            if (!c.reply().isMuted()) {
                c.skipNextReply();
            }
        } else {
            throw CommandError.syntax();
        }
    }

    private void pause(Client c, byte[][] a) {
        if (a.length > 4) {
            throw CommandError.syntax();
        }
        long millis = Args.toLong(a[2], "ERR timeout is not an integer or out of range");
        if (millis < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        boolean all = true;
        if (a.length == 4) {
            if (Args.is(a[3], "write")) {
                all = false;
            } else if (!Args.is(a[3], "all")) {
                throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        }
        server.pause().pause(c, millis, all);
        c.reply().ok();
    }

    private void unpause(Client c, byte[][] a) {
        server.pause().unpause();
        c.reply().ok();
    }

    private static boolean onOff(byte[] arg) {
        if (Args.is(arg, "on")) {
            return true;
        }
        if (Args.is(arg, "off")) {
            return false;
        }
        throw CommandError.syntax();
    }

    private void noEvict(Client c, byte[][] a) {
        c.setNoEvict(onOff(a[2]));
        c.reply().ok();
    }

    private void noTouch(Client c, byte[][] a) {
        c.setNoTouch(onOff(a[2]));
        c.reply().ok();
    }

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p]... [OPTIN] [OPTOUT] [NOLOOP], checked in Redis's order. */
    private void tracking(Client c, byte[][] a) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < a.length; j++) {
            boolean more = j < a.length - 1;
            if (Args.is(a[j], "redirect") && more) {
                j++;
                if (redirect != 0) {
                    throw new CommandError("ERR A client can only redirect to a single other client");
                }
                redirect = Args.toLong(a[j]);
                if (server.clients().get(redirect) == null) {
                    throw new CommandError("ERR The client ID you want redirect to does not exist");
                }
            } else if (Args.is(a[j], "bcast")) {
                bcast = true;
            } else if (Args.is(a[j], "optin")) {
                optin = true;
            } else if (Args.is(a[j], "optout")) {
                optout = true;
            } else if (Args.is(a[j], "noloop")) {
                noloop = true;
            } else if (Args.is(a[j], "prefix") && more) {
                prefixes.add(a[++j]);
            } else {
                throw CommandError.syntax();
            }
        }
        ClientSideCaching caching = server.tracking();
        if (Args.is(a[2], "on")) {
            TrackingMode now = c.tracking();
            if (!bcast && !prefixes.isEmpty()) {
                throw new CommandError("ERR PREFIX option requires BCAST mode to be enabled");
            }
            if (now != null && now.bcast() != bcast) {
                throw new CommandError(
                        "ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
                                + "and then re-enabling it with a different mode.");
            }
            if (bcast && (optin || optout)) {
                throw new CommandError("ERR OPTIN and OPTOUT are not compatible with BCAST");
            }
            if (optin && optout) {
                throw new CommandError("ERR You can't specify both OPTIN mode and OPTOUT mode");
            }
            if (now != null && ((optin && now.optout()) || (optout && now.optin()))) {
                throw new CommandError(
                        "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                                + "and then re-enabling it with a different mode.");
            }
            if (bcast) {
                caching.checkPrefixes(c, prefixes);
            }
            caching.enable(c, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (Args.is(a[2], "off")) {
            caching.disable(c);
        } else {
            throw CommandError.syntax();
        }
        c.reply().ok();
    }

    private void caching(Client c, byte[][] a) {
        TrackingMode mode = c.tracking();
        if (mode == null) {
            throw new CommandError(
                    "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
        }
        if (Args.is(a[2], "yes")) {
            if (!mode.optin()) {
                throw new CommandError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (Args.is(a[2], "no")) {
            if (!mode.optout()) {
                throw new CommandError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            throw CommandError.syntax();
        }
        mode.setCaching();
        c.reply().ok();
    }

    private void getRedir(Client c, byte[][] a) {
        TrackingMode mode = c.tracking();
        c.reply().integer(mode == null ? -1 : mode.redirect());
    }

    private void trackingInfo(Client c, byte[][] a) {
        TrackingMode mode = c.tracking();
        List<String> flags = new ArrayList<>();
        if (mode == null) {
            flags.add("off");
        } else {
            flags.add("on");
            if (mode.bcast()) {
                flags.add("bcast");
            }
            if (mode.optin()) {
                flags.add("optin");
                if (mode.caching()) {
                    flags.add("caching-yes");
                }
            }
            if (mode.optout()) {
                flags.add("optout");
                if (mode.caching()) {
                    flags.add("caching-no");
                }
            }
            if (mode.noloop()) {
                flags.add("noloop");
            }
            if (mode.brokenRedirect()) {
                flags.add("broken_redirect");
            }
        }
        RespWriter r = c.reply();
        r.map(3);
        r.bulk("flags");
        r.set(flags.size());
        for (String f : flags) {
            r.bulk(f);
        }
        r.bulk("redirect");
        r.integer(mode == null ? -1 : mode.redirect());
        r.bulk("prefixes");
        List<byte[]> prefixes = mode == null ? List.of() : mode.prefixes();
        r.array(prefixes.size());
        for (byte[] p : prefixes) {
            r.bulk(p);
        }
    }

    private void help(Client c, byte[][] a) {
        Help.reply(c, server.commands().lookup("client"));
    }
}
