package dev.respite.server.tracking;

import java.util.Arrays;
import java.util.List;

/**
 * How one client tracks keys (CLIENT TRACKING ON and its options), and the one-command CLIENT CACHING
 * override. Present on a client only while tracking is on.
 */
public final class TrackingMode {
    final long redirect;
    final boolean bcast;
    final boolean optin;
    final boolean optout;
    final boolean noloop;
    /** BCAST prefixes, kept in byte order as TRACKINGINFO lists them. */
    final List<byte[]> prefixes;

    boolean caching;
    boolean brokenRedirect;

    TrackingMode(long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop, List<byte[]> prefixes) {
        this.redirect = redirect;
        this.bcast = bcast;
        this.optin = optin;
        this.optout = optout;
        this.noloop = noloop;
        this.prefixes = prefixes;
        prefixes.sort(Arrays::compareUnsigned);
    }

    public long redirect() {
        return redirect;
    }

    public boolean bcast() {
        return bcast;
    }

    public boolean optin() {
        return optin;
    }

    public boolean optout() {
        return optout;
    }

    public boolean noloop() {
        return noloop;
    }

    public boolean caching() {
        return caching;
    }

    /** CLIENT CACHING YES (OPTIN) or NO (OPTOUT): applies to the next command or transaction. */
    public void setCaching() {
        caching = true;
    }

    public boolean brokenRedirect() {
        return brokenRedirect;
    }

    public List<byte[]> prefixes() {
        return prefixes;
    }

    /** Whether a read by this client now should be remembered for invalidation. */
    boolean remembersReads() {
        return !bcast && !(optin && !caching) && !(optout && caching);
    }
}
