package dev.respite.storage;

import java.nio.charset.StandardCharsets;

/**
 * Redis's glob matcher ({@code stringmatchlen} in util.c), used by KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET and
 * friends. The results are those of Redis 7.0 byte for byte, quirks included:
 * <ul>
 *   <li>{@code *} matches any run of bytes, {@code ?} any single byte, {@code \x} the byte {@code x}; a trailing
 *       lone backslash matches a backslash.</li>
 *   <li>{@code [...]} matches one byte from a set; {@code [^...]} one byte not in it. Inside, {@code \x} is the
 *       byte {@code x} (compared case-sensitively even in nocase mode), {@code a-c} a range whose ends may be given
 *       in either order and are compared as <em>signed</em> bytes (so {@code [a-\xe9]} holds {@code \x01} but not
 *       {@code b}). The first {@code ]} closes the set, so {@code []} never matches and {@code [^]} matches any
 *       byte. A set left open runs to the end of the pattern ({@code [abc} is {@code [abc]}).</li>
 *   <li>An empty subject matches only the empty pattern (not even {@code *}; KEYS special-cases a lone {@code *}
 *       before matching).</li>
 *   <li>Nocase mode folds ASCII letters only; a range's ends are ordered before they are folded, so
 *       {@code [Z-n]} is empty in nocase mode.</li>
 *   <li>Redis gives up (no match) once a match attempt reaches the 1001st non-trailing {@code *} group with subject
 *       left; that limit is kept so results agree.</li>
 * </ul>
 * Unlike Redis's recursive matcher, this one backtracks only to the latest {@code *}, so it runs in
 * O(pattern length × subject length) time and constant space whatever the pattern.
 */
public final class Glob {
    /** Redis's recursion limit, expressed as the number of {@code *} groups a match may pass. */
    private static final int MAX_STAR_GROUPS = 1000;

    private Glob() {}

    /** Whether {@code subject} matches {@code pattern}, case-sensitively. */
    public static boolean matches(byte[] pattern, byte[] subject) {
        return matches(pattern, 0, pattern.length, subject, 0, subject.length, false);
    }

    /** Whether {@code subject} matches {@code pattern}; {@code nocase} folds ASCII letters. */
    public static boolean matches(byte[] pattern, byte[] subject, boolean nocase) {
        return matches(pattern, 0, pattern.length, subject, 0, subject.length, nocase);
    }

    /**
     * Whether {@code subject[subjectOffset, subjectOffset + subjectLength)} matches
     * {@code pattern[patternOffset, patternOffset + patternLength)}; {@code nocase} folds ASCII letters.
     */
    public static boolean matches(
            byte[] pattern,
            int patternOffset,
            int patternLength,
            byte[] subject,
            int subjectOffset,
            int subjectLength,
            boolean nocase) {
        int patternEnd = patternOffset + patternLength;
        int subjectEnd = subjectOffset + subjectLength;
        if (subjectLength == 0) {
            return patternLength == 0;
        }
        int p = patternOffset;
        int s = subjectOffset;
        // Where to resume after a mismatch: just past the latest '*' group, and the subject position it was tried at.
        int resumePattern = -1;
        int resumeSubject = -1;
        int starGroups = 0;
        while (s < subjectEnd) {
            if (p < patternEnd && pattern[p] == '*') {
                while (p < patternEnd && pattern[p] == '*') {
                    p++;
                }
                if (p == patternEnd) {
                    return true;
                }
                if (++starGroups > MAX_STAR_GROUPS) {
                    return false;
                }
                resumePattern = p;
                resumeSubject = s;
                continue;
            }
            int next = p < patternEnd ? matchOne(pattern, p, patternEnd, subject[s], nocase) : -1;
            if (next >= 0) {
                p = next;
                s++;
            } else if (resumePattern >= 0) {
                // Let the latest '*' swallow one more byte; earlier stars never need to grow (classic wildcard proof).
                p = resumePattern;
                s = ++resumeSubject;
            } else {
                return false;
            }
        }
        while (p < patternEnd && pattern[p] == '*') {
            p++;
        }
        return p == patternEnd;
    }

    /** {@link #matches(byte[], byte[], boolean)} for patterns and subjects held as Strings of Latin-1 bytes. */
    public static boolean matches(String pattern, String subject, boolean nocase) {
        return matches(latin1(pattern), latin1(subject), nocase);
    }

    /**
     * Whether {@code pattern} has none of {@code * ? [ \}, so that in case-sensitive mode it matches exactly the
     * subject equal to it and KEYS/SCAN can look the key up instead of scanning.
     */
    public static boolean isLiteral(byte[] pattern) {
        return isLiteral(pattern, 0, pattern.length);
    }

    /** {@link #isLiteral(byte[])} for {@code pattern[offset, offset + length)}. */
    public static boolean isLiteral(byte[] pattern, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            byte b = pattern[i];
            if (b == '*' || b == '?' || b == '[' || b == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * Matches the single-byte pattern element starting at {@code p} (anything but {@code *}) against {@code c}.
     * Returns the index just past the element, or -1 if it does not match.
     */
    private static int matchOne(byte[] pattern, int p, int end, byte c, boolean nocase) {
        switch (pattern[p]) {
            case '?':
                return p + 1;
            case '[':
                return matchSet(pattern, p + 1, end, c, nocase);
            case '\\':
                if (end - p >= 2) {
                    p++;
                }
                return equal(pattern[p], c, nocase) ? p + 1 : -1;
            default:
                return equal(pattern[p], c, nocase) ? p + 1 : -1;
        }
    }

    /** Matches a {@code [...]} set whose body starts at {@code p}; mirrors Redis's loop step for step. */
    private static int matchSet(byte[] pattern, int p, int end, byte c, boolean nocase) {
        boolean negated = p < end && pattern[p] == '^';
        if (negated) {
            p++;
        }
        boolean found = false;
        while (true) {
            if (p == end) {
                // Unterminated: Redis steps back onto the last byte so the caller's advance lands on the end.
                p--;
                break;
            }
            byte b = pattern[p];
            if (b == '\\' && end - p >= 2) {
                p++;
                if (pattern[p] == c) {
                    found = true;
                }
            } else if (b == ']') {
                break;
            } else if (end - p >= 3 && pattern[p + 1] == '-') {
                int start = b;
                int stop = pattern[p + 2];
                if (start > stop) {
                    int swap = start;
                    start = stop;
                    stop = swap;
                }
                int subject = c;
                if (nocase) {
                    start = lower(start);
                    stop = lower(stop);
                    subject = lower(subject);
                }
                p += 2;
                if (subject >= start && subject <= stop) {
                    found = true;
                }
            } else if (equal(b, c, nocase)) {
                found = true;
            }
            p++;
        }
        return found != negated ? p + 1 : -1;
    }

    private static boolean equal(byte a, byte b, boolean nocase) {
        return a == b || nocase && lower(a) == lower(b);
    }

    /** C's tolower in the "C" locale: ASCII letters only, other (signed) byte values unchanged. */
    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
