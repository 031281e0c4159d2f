package dev.respite.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * client-output-buffer-limit: for each client class a hard limit, a soft limit and the seconds output
 * may stay over the soft limit (0 disables a limit). Redis's syntax and defaults; the replica class is
 * kept for CONFIG GET and redis.conf compatibility.
 */
public final class ClientOutputBufferLimits {
    /** The classes in the order CONFIG GET prints them. */
    public enum ClientClass {
        NORMAL("normal"),
        REPLICA("slave"),
        PUBSUB("pubsub");

        private final String configName;

        ClientClass(String configName) {
            this.configName = configName;
        }
    }

    /** One class's limits, in bytes and seconds. */
    public record Limit(long hardBytes, long softBytes, long softSeconds) {}

    private final Limit[] limits = {
        new Limit(0, 0, 0),
        new Limit(256L * 1024 * 1024, 64L * 1024 * 1024, 60),
        new Limit(32L * 1024 * 1024, 8L * 1024 * 1024, 60)
    };

    public Limit of(ClientClass c) {
        return limits[c.ordinal()];
    }

    /** Applies "class hard soft seconds" groups; all or nothing. */
    public void set(List<String> values) throws ConfigValueException {
        // Accepts the groups as separate arguments (redis.conf, command line) or as one quoted string.
        List<String> args = new ArrayList<>();
        for (String v : values) {
            for (String part : v.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    args.add(part);
                }
            }
        }
        if (args.size() % 4 != 0) {
            throw new ConfigValueException("Wrong number of arguments in buffer limit configuration.");
        }
        Limit[] next = limits.clone();
        for (int i = 0; i < args.size(); i += 4) {
            ClientClass c = classNamed(args.get(i));
            long hard;
            long soft;
            long seconds;
            try {
                hard = Units.parseMemory(args.get(i + 1));
                soft = Units.parseMemory(args.get(i + 2));
                seconds = Long.parseLong(args.get(i + 3));
            } catch (ConfigValueException | NumberFormatException e) {
                throw new ConfigValueException(
                        "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            if (seconds < 0) {
                throw new ConfigValueException(
                        "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            next[c.ordinal()] = new Limit(hard, soft, seconds);
        }
        System.arraycopy(next, 0, limits, 0, limits.length);
    }

    private static ClientClass classNamed(String name) throws ConfigValueException {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "normal" -> ClientClass.NORMAL;
            case "slave", "replica" -> ClientClass.REPLICA;
            case "pubsub" -> ClientClass.PUBSUB;
            default -> throw new ConfigValueException("Invalid client class specified in buffer limit configuration.");
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (ClientClass c : ClientClass.values()) {
            Limit l = limits[c.ordinal()];
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(c.configName)
                    .append(' ')
                    .append(l.hardBytes())
                    .append(' ')
                    .append(l.softBytes())
                    .append(' ')
                    .append(l.softSeconds());
        }
        return sb.toString();
    }
}
