package dev.respite.server.config;

/** A configuration value was refused; the message is the reason as Redis words it. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
