package dev.respite.server.net;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Client state kept outside the client (blocking, WATCH, pause, MONITOR, subscriptions) let go when it leaves or RESETs. */
public final class DisconnectHooks {
    private final List<Consumer<Client>> hooks = new ArrayList<>();

    public void add(Consumer<Client> hook) {
        hooks.add(hook);
    }

    public void disconnected(Client c) {
        for (Consumer<Client> h : hooks) {
            h.accept(c);
        }
    }
}
