package dev.respite.server.config;

/**
 * A rename-command directive: the command {@code from} is known as {@code to} from then on, or disabled when
 * {@code to} is empty. {@code directive} is where it was read, for errors.
 */
public record CommandRename(String from, String to, ConfigDirective directive) {}
