package dev.respite.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One configuration directive: its Redis name and aliases, how to read its current value as CONFIG GET
 * prints it, and how to set it from text (redis.conf, the command line, CONFIG SET).
 */
public final class ConfigParam {
    /** Sets a directive from its arguments; throws with Redis's reason when a value is refused. */
    @FunctionalInterface
    public interface Setter {
        void set(List<String> args) throws ConfigValueException;
    }

    private final String name;
    private final List<String> aliases;
    private final boolean mutable;
    private final Supplier<String> getter;
    private final Setter setter;
    private final String defaultValue;
    private final String description;
    private final boolean inert;
    private final List<Runnable> listeners = new ArrayList<>();

    public ConfigParam(
            String name,
            List<String> aliases,
            boolean mutable,
            Supplier<String> getter,
            Setter setter,
            String description) {
        this(name, aliases, mutable, getter, setter, description, false);
    }

    /** {@code inert}: known for compatibility, but setting it has no effect in Respite. */
    public ConfigParam(
            String name,
            List<String> aliases,
            boolean mutable,
            Supplier<String> getter,
            Setter setter,
            String description,
            boolean inert) {
        this.name = name;
        this.aliases = aliases;
        this.mutable = mutable;
        this.getter = getter;
        this.setter = setter;
        this.defaultValue = getter.get();
        this.description = description;
        this.inert = inert;
    }

    public boolean inert() {
        return inert;
    }

    public String name() {
        return name;
    }

    public List<String> aliases() {
        return aliases;
    }

    public boolean mutable() {
        return mutable;
    }

    public String get() {
        return getter.get();
    }

    /** Sets the value, then tells the parts that act on it at once (loglevel reaches logback, for example). */
    public void set(List<String> args) throws ConfigValueException {
        setter.set(args);
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    /** Runs {@code listener} after every successful set. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
