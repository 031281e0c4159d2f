package dev.respite.server.command;

import java.util.List;

/**
 * One argument of a command as COMMAND DOCS describes it (redis-cli builds its hints from these). Absent
 * optional fields are null, {@code keySpecIndex} is -1 for arguments that are not keys, and only "oneof"
 * and "block" arguments have {@code arguments}.
 */
public record CommandArgument(
        String name,
        String type,
        String displayText,
        int keySpecIndex,
        String token,
        String summary,
        String since,
        String deprecatedSince,
        List<String> flags,
        List<CommandArgument> arguments) {

    /** Whether this argument groups others ("oneof", "block"): those have arguments and no display text. */
    public boolean isGroup() {
        return type.equals("oneof") || type.equals("block");
    }

    public String shownText() {
        return displayText == null ? name : displayText;
    }
}
