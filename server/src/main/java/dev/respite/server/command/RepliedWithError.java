package dev.respite.server.command;

/**
 * Ends a command whose handler has already written (and counted) its error reply, so that the dispatcher
 * counts the call as failed, as Redis does for a script that ends in an error.
 */
public final class RepliedWithError extends RuntimeException {
    public static final RepliedWithError INSTANCE = new RepliedWithError();

    private RepliedWithError() {
        super(null, null, false, false);
    }
}
