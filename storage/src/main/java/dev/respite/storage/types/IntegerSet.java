package dev.respite.storage.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Sorted distinct longs packed in one byte array at the narrowest width (2, 4 or 8 bytes) that holds
 * them all, as Redis's intset. The width only grows.
 */
final class IntegerSet {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private int width = Short.BYTES;
    private byte[] data = new byte[0];
    private int size;

    int size() {
        return size;
    }

    int capacityBytes() {
        return data.length;
    }

    long get(int index) {
        int at = index * width;
        switch (width) {
            case Short.BYTES:
                return (short) SHORT.get(data, at);
            case Integer.BYTES:
                return (int) INT.get(data, at);
            default:
                return (long) LONG.get(data, at);
        }
    }

    private void put(int index, long value) {
        int at = index * width;
        switch (width) {
            case Short.BYTES:
                SHORT.set(data, at, (short) value);
                break;
            case Integer.BYTES:
                INT.set(data, at, (int) value);
                break;
            default:
                LONG.set(data, at, value);
        }
    }

    private static int widthFor(long value) {
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return Short.BYTES;
        }
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? Integer.BYTES : Long.BYTES;
    }

    /** Index of the value, or {@code -(insertion point) - 1}. */
    int search(long value) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long v = get(mid);
            if (v < value) {
                low = mid + 1;
            } else if (v > value) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    boolean contains(long value) {
        return widthFor(value) <= width && search(value) >= 0;
    }

    boolean add(long value) {
        int needed = widthFor(value);
        if (needed > width) {
            upgradeAndAdd(value, needed);
            return true;
        }
        int index = search(value);
        if (index >= 0) {
            return false;
        }
        index = -index - 1;
        ensureCapacity(size + 1);
        System.arraycopy(data, index * width, data, (index + 1) * width, (size - index) * width);
        put(index, value);
        size++;
        return true;
    }

    /** A value too wide for the current encoding is below or above every element, so it goes at one end. */
    private void upgradeAndAdd(long value, int newWidth) {
        byte[] old = data;
        int oldWidth = width;
        data = new byte[(size + 1) * newWidth];
        width = newWidth;
        int shift = value < 0 ? 1 : 0;
        for (int i = 0; i < size; i++) {
            int at = i * oldWidth;
            long v = oldWidth == Short.BYTES ? (short) SHORT.get(old, at) : (int) INT.get(old, at);
            put(i + shift, v);
        }
        put(value < 0 ? 0 : size, value);
        size++;
    }

    private void ensureCapacity(int elements) {
        int bytes = elements * width;
        if (bytes > data.length) {
            data = Arrays.copyOf(data, Math.max(bytes, data.length + (data.length >> 1)));
        }
    }

    boolean remove(long value) {
        if (widthFor(value) > width) {
            return false;
        }
        int index = search(value);
        if (index < 0) {
            return false;
        }
        removeAt(index);
        return true;
    }

    void removeAt(int index) {
        System.arraycopy(data, (index + 1) * width, data, index * width, (size - index - 1) * width);
        size--;
    }

    void clear() {
        size = 0;
        data = new byte[0];
    }
}
