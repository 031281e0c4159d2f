package dev.respite.server.net;

/**
 * Decides when the replies of a batch of work may leave. With appendfsync always, a reply to a write must
 * not reach its client before that write is on disk: the batch's output is held and released once the
 * log bytes are fsynced.
 */
public interface OutputGate {
    OutputGate OPEN = new OutputGate() {
        @Override
        public boolean holdsOutput() {
            return false;
        }

        @Override
        public void endBatch(Runnable release) {
            if (release != null) {
                release.run();
            }
        }
    };

    /** True if the output produced so far must wait for something to become durable. */
    boolean holdsOutput();

    /**
     * The current batch of work ends. {@code release} (null when there is no output) sends its output, and
     * runs on the event loop once it may; output of earlier batches is always released first.
     */
    void endBatch(Runnable release);
}
