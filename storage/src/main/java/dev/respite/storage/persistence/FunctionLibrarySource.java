package dev.respite.storage.persistence;

import java.io.IOException;
import java.util.List;

/** The server's function libraries as an RDB file carries them: each library's code, saved and loaded back. */
public interface FunctionLibrarySource {
    FunctionLibrarySource NONE = new FunctionLibrarySource() {
        @Override
        public List<byte[]> libraryCodes() {
            return List.of();
        }

        @Override
        public void restore(byte[] code, boolean replace) throws IOException {
            throw new IOException("this server does not load function libraries");
        }

        @Override
        public void clear() {}
    };

    /** The code of every library, for the snapshot being written. */
    List<byte[]> libraryCodes();

    /**
     * Loads one library read from a snapshot; one of the same name is replaced when {@code replace}, else the
     * load fails. Throws when it cannot.
     */
    void restore(byte[] code, boolean replace) throws IOException;

    /** Drops every library: the dataset is being replaced (DEBUG RELOAD, a replica's full resync). */
    void clear();
}
