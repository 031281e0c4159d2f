package dev.respite.server.config;

/**
 * A directive argument that does not parse; the message is Redis's wording (e.g. "argument must be a memory
 * value"), ready for {@link ConfigDirective#error} or a CONFIG SET reply.
 */
public final class ConfigValueException extends Exception {
    public ConfigValueException(String message) {
        super(message);
    }
}
