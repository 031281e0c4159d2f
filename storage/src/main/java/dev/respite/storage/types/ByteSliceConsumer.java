package dev.respite.storage.types;

/**
 * Receives one element as a slice of a byte array. Slices point into the value's own storage so that a
 * reply can be written without an intermediate copy; the array must not be modified or retained after
 * the call returns (copy the range if it has to be kept), and the value must not be modified while a
 * traversal is in progress.
 */
@FunctionalInterface
public interface ByteSliceConsumer {
    void accept(byte[] bytes, int offset, int length);
}
