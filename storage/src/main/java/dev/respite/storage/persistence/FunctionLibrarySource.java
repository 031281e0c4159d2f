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
        public void restore(byte[] code) throws IOException {
            throw new IOException("this server does not load function libraries");
        }
    };

    /** The code of every library, for the snapshot being written. */
    List<byte[]> libraryCodes();

    /** Loads one library read from a snapshot, replacing a library of the same name; throws when it cannot. */
    void restore(byte[] code) throws IOException;
}
