package dev.respite.server.scripting;

import io.netty.buffer.ByteBuf;

/**
 * One running script as the engine sees it: where its redis.call commands go, and the state the script
 * changes through the redis table (protocol, replication flags).
 */
public abstract class ScriptRun {
    /** The protocol redis.call replies arrive in, chosen by redis.setresp. */
    protected int resp = 2;
    /** redis.set_repl's flags: 1 append-only file, 2 replicas. */
    protected int replFlags = 3;

    /**
     * Runs one command for the script and returns its reply as RESP bytes, valid until the next call, or
     * throws {@link Refused} with Redis's text when the command may not run from this script.
     */
    protected abstract ByteBuf call(byte[][] args) throws Refused;

    /** Whether the caller's user may run {@code args}; null when no such command exists. */
    protected abstract Boolean aclAllows(byte[][] args);

    /** Called every 100000 Lua instructions: null to go on, or the error text that ends the script. */
    protected abstract String interrupt();

    public int resp() {
        return resp;
    }

    public int replFlags() {
        return replFlags;
    }

    /** A command a script may not run here, with the error text Redis gives. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }
}
