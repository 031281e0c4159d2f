package dev.respite.server.net;

/**
 * The sizes Redis built with glibc's allocator (INFO's mem_allocator:libc) reports for its buffers: it asks the
 * allocator how much a block really holds, so CLIENT LIST shows a request rounded up as glibc rounds it.
 */
final class LibcMalloc {
    /** Requests from this size are served by their own mapping, rounded to pages (glibc's initial threshold). */
    private static final long MMAP_THRESHOLD = 128 * 1024;

    private static final long PAGE = 4096;

    private LibcMalloc() {}

    /** What malloc_usable_size answers for a block of {@code request} bytes. */
    static long usable(long request) {
        long chunk = Math.max(32, (request + 8 + 15) & ~15L);
        if (chunk >= MMAP_THRESHOLD) {
            return ((chunk + 8 + PAGE - 1) & ~(PAGE - 1)) - 16;
        }
        return chunk - 8;
    }

    /**
     * The capacity of a Redis dynamic string allocated for {@code length} bytes: the block's usable size less
     * the string's header (whose width depends on the length) and terminator, within what the header can count.
     */
    static long stringCapacity(long length) {
        int header;
        long max;
        if (length < 1 << 8) {
            header = 3;
            max = (1 << 8) - 1;
        } else if (length < 1 << 16) {
            header = 5;
            max = (1 << 16) - 1;
        } else if (length < 1L << 32) {
            header = 9;
            max = (1L << 32) - 1;
        } else {
            header = 17;
            max = Long.MAX_VALUE;
        }
        return Math.min(max, usable(header + length + 1) - header - 1);
    }
}
