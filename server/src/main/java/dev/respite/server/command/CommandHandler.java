package dev.respite.server.command;

import dev.respite.server.net.Client;

/** Runs one command on the keyspace thread and writes its reply to the client. */
@FunctionalInterface
public interface CommandHandler {
    void execute(Client client, byte[][] args);
}
