package dev.respite.server.tracking;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.KeyRefs;
import dev.respite.server.net.Client;
import dev.respite.server.net.Clients;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Server-assisted client-side caching (CLIENT TRACKING): which clients read which keys, the BCAST prefixes,
 * and the invalidation messages sent when a key changes, expires, is evicted or the data set is flushed.
 * Runs on the keyspace thread.
 */
public final class ClientSideCaching {
    private static final byte[] INVALIDATE = "invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REDIR_BROKEN = "tracking-redir-broken".getBytes(StandardCharsets.US_ASCII);

    private final Clients clients;
    private final LongSupplier maxKeys;
    /** Key to the ids of the clients that read it since its last invalidation, oldest key first. */
    private final LinkedHashMap<TrackedKey, Set<Long>> table = new LinkedHashMap<>();

    private final TreeMap<byte[], Prefix> prefixes = new TreeMap<>(Arrays::compareUnsigned);
    private long totalItems;
    private int trackingClients;

    /**
     * The client whose command is running (a blocked client served by another's write runs inside it), and
     * invalidations for running clients that must follow their replies: a null key is a whole-cache flush.
     */
    private Client current;

    private final ArrayDeque<Client> outer = new ArrayDeque<>();
    private int depth;
    private final List<Client> pendingClients = new ArrayList<>();
    private final List<byte[]> pendingKeys = new ArrayList<>();

    /** A BCAST prefix: its subscribers and the keys under it changed since the last broadcast. */
    private static final class Prefix {
        final Set<Client> clients = new LinkedHashSet<>();
        /** Key to the client that changed it last (null when no client did), in byte order. */
        final TreeMap<byte[], Client> keys = new TreeMap<>(Arrays::compareUnsigned);
    }

    public ClientSideCaching(Clients clients, LongSupplier maxKeys) {
        this.clients = clients;
        this.maxKeys = maxKeys;
    }

    public int trackingClients() {
        return trackingClients;
    }

    public long totalKeys() {
        return table.size();
    }

    public long totalItems() {
        return totalItems;
    }

    public long totalPrefixes() {
        return prefixes.size();
    }

    /** Redis's check that a client's BCAST prefixes, old and new, are not prefixes of each other. */
    public void checkPrefixes(Client c, List<byte[]> wanted) {
        TrackingMode mode = c.tracking();
        for (int i = 0; i < wanted.size(); i++) {
            byte[] p = wanted.get(i);
            if (mode != null) {
                for (byte[] existing : mode.prefixes) {
                    if (overlap(existing, p)) {
                        throw new CommandError("ERR Prefix '" + Args.str(p) + "' overlaps with an existing prefix '"
                                + Args.str(existing) + "'. Prefixes for a single client must not overlap.");
                    }
                }
            }
            for (int j = i + 1; j < wanted.size(); j++) {
                if (overlap(p, wanted.get(j))) {
                    throw new CommandError("ERR Prefix '" + Args.str(p) + "' overlaps with another provided prefix '"
                            + Args.str(wanted.get(j)) + "'. Prefixes for a single client must not overlap.");
                }
            }
        }
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    /** CLIENT TRACKING ON: options already validated. A client already tracking keeps its BCAST prefixes. */
    public void enable(
            Client c,
            long redirect,
            boolean bcast,
            boolean optin,
            boolean optout,
            boolean noloop,
            List<byte[]> newPrefixes) {
        TrackingMode old = c.tracking();
        List<byte[]> own = old == null ? new ArrayList<>() : new ArrayList<>(old.prefixes);
        if (old == null) {
            trackingClients++;
        }
        if (bcast) {
            if (newPrefixes.isEmpty()) {
                subscribe(c, own, new byte[0]);
            }
            for (byte[] p : newPrefixes) {
                subscribe(c, own, p);
            }
        }
        TrackingMode mode = new TrackingMode(redirect, bcast, optin, optout, noloop, own);
        if (old != null) {
            mode.caching = old.caching;
        }
        c.setTracking(mode);
    }

    private void subscribe(Client c, List<byte[]> own, byte[] prefix) {
        if (prefixes.computeIfAbsent(prefix, p -> new Prefix()).clients.add(c)) {
            own.add(prefix);
        }
    }

    /** CLIENT TRACKING OFF, RESET and disconnection. */
    public void disable(Client c) {
        TrackingMode mode = c.tracking();
        if (mode == null) {
            return;
        }
        for (byte[] p : mode.prefixes) {
            Prefix state = prefixes.get(p);
            if (state != null) {
                state.clients.remove(c);
                if (state.clients.isEmpty()) {
                    prefixes.remove(p);
                }
            }
        }
        trackingClients--;
        c.setTracking(null);
    }

    /** The client whose command is running (a script's caller while the script runs), or null. */
    public Client current() {
        return current;
    }

    /** A command starts running for {@code c}: invalidations for it wait until its reply is written. */
    public void enter(Client c) {
        if (depth++ > 0) {
            outer.push(current);
        }
        current = c;
    }

    /**
     * The command started by the matching {@link #enter} is done: sends the invalidations held for its
     * client and ends a one-command CLIENT CACHING unless a transaction or another CLIENT command follows.
     */
    public void exit(Client c, boolean keepCaching) {
        TrackingMode mode = c.tracking();
        if (mode != null && !keepCaching && !c.inTransaction()) {
            mode.caching = false;
        }
        if (--depth > 0) {
            current = outer.pop();
            return;
        }
        current = null;
        sendPending();
    }

    /**
     * Sends the invalidations held for running clients now: after their replies, or before a command runs
     * when the maxmemory check evicted keys its client had read.
     */
    public void sendPending() {
        if (pendingClients.isEmpty()) {
            return;
        }
        for (int i = 0; i < pendingClients.size(); i++) {
            Client c = pendingClients.get(i);
            if (!c.isClosing() && c.tracking() != null) {
                send(c, pendingKeys.get(i), null);
            }
        }
        pendingClients.clear();
        pendingKeys.clear();
    }

    private boolean running(Client c) {
        return c == current || outer.contains(c);
    }

    private void hold(Client c, byte[] key) {
        pendingClients.add(c);
        pendingKeys.add(key);
    }

    /** After a read-only command: its keys are now cached by {@code c} if it tracks them. */
    public void rememberKeys(Client c, byte[][] args, KeyRefs keys) {
        TrackingMode mode = c.tracking();
        if (mode == null || !mode.remembersReads()) {
            return;
        }
        Long id = c.id();
        for (int i = 0; i < keys.size(); i++) {
            if (table.computeIfAbsent(new TrackedKey(args[keys.position(i)]), k -> new LinkedHashSet<>())
                    .add(id)) {
                totalItems++;
            }
        }
    }

    /** A key changed, expired or was evicted: clients that cached it hear of it once. */
    public void invalidate(byte[] key) {
        if (!prefixes.isEmpty()) {
            rememberForBroadcast(key, current);
        }
        if (table.isEmpty()) {
            return;
        }
        Set<Long> ids = table.remove(new TrackedKey(key));
        if (ids != null) {
            totalItems -= ids.size();
            notifyReaders(key, ids);
        }
    }

    private void notifyReaders(byte[] key, Set<Long> ids) {
        for (Long id : ids) {
            Client target = clients.get(id);
            TrackingMode mode = target == null ? null : target.tracking();
            // A client that switched to BCAST since it read the key is told through its prefixes only.
            if (mode == null || mode.bcast || (mode.noloop && target == current)) {
                continue;
            }
            if (running(target)) {
                hold(target, key);
            } else {
                send(target, key, null);
            }
        }
    }

    /**
     * The key (already invalidated) left by expiry or eviction: no client changed it, so BCAST clients in
     * NOLOOP mode hear of it even when their own command ran into it.
     */
    public void removedByServer(byte[] key) {
        if (!prefixes.isEmpty()) {
            rememberForBroadcast(key, null);
        }
    }

    private void rememberForBroadcast(byte[] key, Client modifier) {
        for (Map.Entry<byte[], Prefix> e : prefixes.entrySet()) {
            byte[] p = e.getKey();
            if (p.length <= key.length && Arrays.equals(p, 0, p.length, key, 0, p.length)) {
                e.getValue().keys.put(key, modifier);
            }
        }
    }

    /** FLUSHDB and FLUSHALL: every tracking client drops its whole cache (a null invalidation). */
    public void flushed() {
        if (trackingClients > 0) {
            for (Client c : clients.all()) {
                if (c.tracking() == null) {
                    continue;
                }
                if (running(c)) {
                    hold(c, null);
                } else {
                    send(c, null, null);
                }
            }
        }
        table.clear();
        totalItems = 0;
    }

    /**
     * Before a batch's output goes out (after commands, and at each cron tick): the tracking table is brought
     * within tracking-table-max-keys, and each BCAST prefix sends the keys changed under it, once.
     */
    public void endOfBatch() {
        limitKeys();
        broadcast();
    }

    private void broadcast() {
        if (trackingClients == 0) {
            return;
        }
        for (Prefix p : prefixes.values()) {
            if (p.keys.isEmpty()) {
                continue;
            }
            for (Client c : p.clients) {
                List<byte[]> keys = new ArrayList<>(p.keys.size());
                for (Map.Entry<byte[], Client> k : p.keys.entrySet()) {
                    if (!(c.tracking().noloop && k.getValue() == c)) {
                        keys.add(k.getKey());
                    }
                }
                if (!keys.isEmpty()) {
                    send(c, null, keys);
                }
            }
            p.keys.clear();
        }
    }

    /** tracking-table-max-keys: past the limit, the oldest tracked keys are invalidated as if changed. */
    public void limitKeys() {
        long max = maxKeys.getAsLong();
        if (max == 0 || table.size() <= max) {
            return;
        }
        Iterator<Map.Entry<TrackedKey, Set<Long>>> it = table.entrySet().iterator();
        while (table.size() > max && it.hasNext()) {
            Map.Entry<TrackedKey, Set<Long>> e = it.next();
            it.remove();
            totalItems -= e.getValue().size();
            Client saved = current;
            current = null;
            notifyReaders(e.getKey().bytes(), e.getValue());
            current = saved;
        }
    }

    /**
     * One invalidation message for client {@code c}: one key, several keys, or (both null) the whole cache.
     * It goes to the redirect client when there is one: as a push in RESP3, as a message on
     * __redis__:invalidate to a RESP2 subscriber; a RESP2 client without redirection gets nothing.
     */
    private void send(Client c, byte[] key, List<byte[]> keys) {
        TrackingMode mode = c.tracking();
        Client target = c;
        boolean redirected = false;
        if (mode.redirect != 0) {
            Client r = clients.get(mode.redirect);
            if (r == null) {
                mode.brokenRedirect = true;
                if (c.protocol() > 2 && !c.isClosing()) {
                    RespWriter w = c.reply();
                    boolean muted = unmute(w);
                    w.push(2);
                    w.bulk(REDIR_BROKEN);
                    w.integer(mode.redirect);
                    w.setMuted(muted);
                    c.outputAdded();
                }
                return;
            }
            target = r;
            redirected = true;
        }
        if (target.isClosing()) {
            return;
        }
        RespWriter w = target.reply();
        boolean muted = unmute(w);
        if (target.protocol() > 2) {
            w.push(2);
            w.bulk(INVALIDATE);
        } else if (redirected && target.inPubSubContext()) {
            w.push(3);
            w.bulk(MESSAGE);
            w.bulk(CHANNEL);
        } else {
            w.setMuted(muted);
            return;
        }
        if (key != null) {
            w.array(1);
            w.bulk(key);
        } else if (keys != null) {
            w.array(keys.size());
            for (byte[] k : keys) {
                w.bulk(k);
            }
        } else {
            w.nullBulk();
        }
        w.setMuted(muted);
        target.outputAdded();
    }

    /** Invalidations are pushed even while the client turned its replies off. */
    private static boolean unmute(RespWriter w) {
        boolean muted = w.isMuted();
        w.setMuted(false);
        return muted;
    }
}
