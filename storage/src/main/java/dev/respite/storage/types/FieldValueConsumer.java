package dev.respite.storage.types;

/**
 * Receives one field/value pair of a hash as two byte-array slices. Slices may point into the value's own
 * storage so that a reply can be written without an intermediate copy; the arrays must not be modified or
 * retained after the call returns (copy the ranges if they have to be kept), and the hash must not be
 * modified while a traversal is in progress.
 */
@FunctionalInterface
public interface FieldValueConsumer {
    void accept(
            byte[] fieldBytes, int fieldOffset, int fieldLength, byte[] valueBytes, int valueOffset, int valueLength);
}
