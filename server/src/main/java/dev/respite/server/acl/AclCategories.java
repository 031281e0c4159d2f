package dev.respite.server.acl;

import dev.respite.server.command.CommandSpec;
import java.util.List;

/** The ACL command categories Redis 7 knows, in ACL CAT's order; a command's own come from the table. */
public final class AclCategories {
    public static final List<String> ALL = List.of(
            "keyspace",
            "read",
            "write",
            "set",
            "sortedset",
            "list",
            "hash",
            "string",
            "bitmap",
            "hyperloglog",
            "geo",
            "stream",
            "pubsub",
            "admin",
            "fast",
            "slow",
            "blocking",
            "dangerous",
            "connection",
            "transaction",
            "scripting");

    private AclCategories() {}

    public static boolean exists(String category) {
        return ALL.contains(category);
    }

    public static List<String> of(CommandSpec spec) {
        return spec.aclCategories();
    }
}
