package dev.respite.server.command;

/**
 * Command flags as COMMAND INFO names them, in the order it lists them; some also drive dispatch. The last
 * ones exist in Redis's table but COMMAND INFO never shows them.
 */
public enum CommandFlag {
    WRITE,
    READONLY,
    DENYOOM,
    MODULE,
    ADMIN,
    PUBSUB,
    NOSCRIPT,
    BLOCKING,
    LOADING,
    STALE,
    SKIP_MONITOR,
    SKIP_SLOWLOG,
    ASKING,
    FAST,
    NO_AUTH,
    NO_MANDATORY_KEYS,
    NO_ASYNC_LOADING,
    NO_MULTI,
    MOVABLEKEYS,
    ALLOW_BUSY,
    MAY_REPLICATE(false),
    PROTECTED(false);

    private final String wireName = name().toLowerCase();
    private final boolean reported;

    CommandFlag() {
        this(true);
    }

    CommandFlag(boolean reported) {
        this.reported = reported;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether COMMAND INFO lists it. */
    public boolean reported() {
        return reported;
    }

    static CommandFlag parse(String wireName) {
        return valueOf(wireName.toUpperCase());
    }
}
