package dev.respite.protocol;

/** Receives each complete command the decoder finds, arguments as raw bytes. */
@FunctionalInterface
public interface CommandSink {
    /** Returns false to stop decoding after this command, leaving the bytes that follow it unread. */
    boolean command(byte[][] args);
}
