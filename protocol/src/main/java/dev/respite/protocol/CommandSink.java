package dev.respite.protocol;

/** Receives each complete command the decoder finds, arguments as raw bytes. */
@FunctionalInterface
public interface CommandSink {
    void command(byte[][] args);
}
