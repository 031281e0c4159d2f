package dev.respite.server.command;

import java.util.List;

/**
 * What COMMAND DOCS says about a command besides its subcommands; null fields are the ones Redis leaves
 * out for that command.
 */
public record CommandDocs(
        String summary,
        String since,
        String group,
        String complexity,
        List<String> docFlags,
        String deprecatedSince,
        String replacedBy,
        List<List<String>> history,
        List<CommandArgument> arguments) {}
