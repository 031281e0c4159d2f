package dev.respite.server.command;

/** Command flags as COMMAND INFO names them; some also drive dispatch. */
public enum CommandFlag {
    WRITE, READONLY, DENYOOM, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE, SKIP_MONITOR,
    SKIP_SLOWLOG, FAST, NO_AUTH, MAY_REPLICATE, NO_MANDATORY_KEYS, NO_MULTI, MOVABLEKEYS, ALLOW_BUSY;

    private final String wireName = name().toLowerCase();

    public String wireName() {
        return wireName;
    }
}
