package dev.respite.server.net;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every connected client by id, and the ones with output to flush at the end of the current batch. */
public final class Clients {
    private final Map<Long, Client> byId = new LinkedHashMap<>();
    private final List<Client> toFlush = new ArrayList<>();
    private long nextId = 1;
    private long totalConnections;
    private long rejectedConnections;

    long nextId() {
        return nextId++;
    }

    void add(Client c) {
        byId.put(c.id(), c);
        totalConnections++;
    }

    void remove(Client c) {
        byId.remove(c.id());
    }

    public Client get(long id) {
        return byId.get(id);
    }

    public Collection<Client> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public int count() {
        return byId.size();
    }

    public long totalConnections() {
        return totalConnections;
    }

    public long rejectedConnections() {
        return rejectedConnections;
    }

    void countRejected() {
        rejectedConnections++;
    }

    void flushLater(Client c) {
        toFlush.add(c);
    }

    /** Flushes every client that got output during the batch of work that just ended. */
    public void flushAll() {
        for (int i = 0; i < toFlush.size(); i++) {
            toFlush.get(i).flush();
        }
        toFlush.clear();
    }
}
