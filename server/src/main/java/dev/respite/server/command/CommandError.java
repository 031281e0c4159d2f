package dev.respite.server.command;

/**
 * Ends a command with an error reply. Thrown from anywhere in a handler (argument parsing, type checks)
 * and turned into the reply by the dispatcher; it carries no stack trace, so throwing it is cheap.
 */
public final class CommandError extends RuntimeException {
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String OUT_OF_RANGE = "ERR index out of range";

    public CommandError(String message) {
        super(message, null, false, false);
    }

    public static CommandError wrongType() {
        return new CommandError(WRONGTYPE);
    }

    /** Redis's arity error; {@code command} is the lower-case name, "parent|sub" for a subcommand. */
    public static CommandError wrongArity(String command) {
        return new CommandError("ERR wrong number of arguments for '" + command + "' command");
    }

    public static CommandError syntax() {
        return new CommandError(SYNTAX);
    }

    public static CommandError notInteger() {
        return new CommandError(NOT_INTEGER);
    }

    public static CommandError notFloat() {
        return new CommandError(NOT_FLOAT);
    }

    /** The error text without its code (for statistics keyed by code). */
    public String code() {
        String m = getMessage();
        int sp = m.indexOf(' ');
        return sp < 0 ? m : m.substring(0, sp);
    }
}
