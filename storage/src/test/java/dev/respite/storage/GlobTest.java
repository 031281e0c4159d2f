package dev.respite.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GlobTest {

    /**
     * Pattern, subject, and whether redis-server 7.0.15 matched them: each row was checked with
     * {@code FLUSHALL; SET subject 1; KEYS pattern} (strings stand for Latin-1 bytes, so \u00e9 is the byte 0xe9).
     * The {@code ("*", "")} row reflects KEYS's own shortcut for a lone '*', which the matcher itself rejects.
     */
    static Stream<Arguments> verifiedAgainstRedis() {
        return Stream.of(
                        row("", "", true),
                        row("*", "", true),
                        row("**", "", false),
                        row("?", "", false),
                        row("[^a]", "", false),
                        row("a", "", false),
                        row("", "a", false),
                        row("*", "abc", true),
                        row("**", "abc", true),
                        row("a*", "a", true),
                        row("a*", "abc", true),
                        row("*c", "abc", true),
                        row("*c", "c", true),
                        row("a*c", "ac", true),
                        row("a*c", "abcbc", true),
                        row("a*c", "abcb", false),
                        row("a*b*c", "aXbYc", true),
                        row("a*b*c", "abc", true),
                        row("a*?*c", "ac", false),
                        row("a*?*c", "abc", true),
                        row("a**?", "a", false),
                        row("a?", "a", false),
                        row("a?", "ab", true),
                        row("a?", "abc", false),
                        row("???", "abc", true),
                        row("??", "abc", false),
                        row("*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
                        row("*a*a*a*b", "aaaaaaab", true),
                        row("h[ae]llo", "hello", true),
                        row("h[ae]llo", "hallo", true),
                        row("h[ae]llo", "hillo", false),
                        row("h[^e]llo", "hallo", true),
                        row("h[^e]llo", "hello", false),
                        row("h[a-b]llo", "hbllo", true),
                        row("h[a-b]llo", "hcllo", false),
                        row("[c-a]", "b", true),
                        row("[c-a]", "d", false),
                        row("[c-a]", "a", true),
                        row("[c-a]", "c", true),
                        row("[a-c]", "b", true),
                        row("[^a-c]", "b", false),
                        row("[^a-c]", "d", true),
                        row("[a-]", "a", true),
                        row("[a-]", "-", false),
                        row("[a-]", "]", true),
                        row("[a-]", "_", true),
                        row("[a-]", "b", false),
                        row("[a-]x", "ax", false),
                        row("[a-]]", "a", true),
                        row("[a-]]", "a]", false),
                        row("[-a]", "-", true),
                        row("[-a]", "a", true),
                        row("[-a]", "b", false),
                        row("[]", "a", false),
                        row("[]", "]", false),
                        row("[]a]", "a", false),
                        row("[]a]", "]", false),
                        row("[]a]", "]a]", false),
                        row("[]", "[]", false),
                        row("[", "[", false),
                        row("[", "a", false),
                        row("[", "", false),
                        row("[abc", "a", true),
                        row("[abc", "d", false),
                        row("[abc", "abc", false),
                        row("x[abc", "xb", true),
                        row("x[abc", "xbc", false),
                        row("[^", "a", true),
                        row("[^", "^", true),
                        row("[^", "", false),
                        row("[^", "ab", false),
                        row("[^a", "b", true),
                        row("[^a", "a", false),
                        row("[^]", "a", true),
                        row("[^]", "]", true),
                        row("[^]]", "a", false),
                        row("[^]]", "]", false),
                        row("[\\]]", "]", true),
                        row("[\\]]", "\\", false),
                        row("[\\", "\\", true),
                        row("[\\", "a", false),
                        row("[a\\]", "a", true),
                        row("[a\\]", "]", true),
                        row("[a\\]", "\\", false),
                        row("[\\-]", "-", true),
                        row("[\\-]", "\\", false),
                        row("[a\\-c]", "b", false),
                        row("[a\\-c]", "-", true),
                        row("[a\\-c]", "c", true),
                        row("[\\^a]", "^", true),
                        row("[\\^a]", "b", false),
                        row("[a-\\]", "a", true),
                        row("[a-\\]", "^", true),
                        row("[a-\\]", "\\", true),
                        row("[a-\\]", "]", true),
                        row("[a-\\]]", "]", false),
                        row("[!a]", "b", false),
                        row("[!a]", "!", true),
                        row("[^^]", "^", false),
                        row("[^^]", "a", true),
                        row("[a^]", "^", true),
                        row("\\*", "*", true),
                        row("\\*", "a", false),
                        row("\\?", "?", true),
                        row("\\?", "a", false),
                        row("\\[a]", "[a]", true),
                        row("\\[a]", "a", false),
                        row("\\", "\\", true),
                        row("a\\", "a\\", true),
                        row("a\\", "a", false),
                        row("\\a", "a", true),
                        row("\\\\", "\\", true),
                        row("\\\\", "\\\\", false),
                        row("*\\", "abc\\", true),
                        row("*\\*", "ab*", true),
                        row("*\\*", "ab", false),
                        row("[*]", "*", true),
                        row("[*]", "a", false),
                        row("[?]", "?", true),
                        row("[?]", "a", false),
                        row("[[]", "[", true),
                        row("[[]", "a", false),
                        row("a]", "a]", true),
                        row("^a", "^a", true),
                        row("*[", "ab[", false),
                        row("*[", "ab", false),
                        row("*[b", "ab", true),
                        row("*[b", "abb", true),
                        row("*[^", "ab", true),
                        row("*[^", "a", true),
                        row("user:*", "user:1", true),
                        row("user:*", "user", false),
                        row("user:*", "user:", true),
                        row("*:*", ":", true),
                        row("*:*", "a:", true),
                        row("*:*", ":a", true),
                        row("*:*", "a:b", true),
                        row("abc", "ABC", false),
                        row("ABC", "abc", false),
                        row("[A-Z]", "b", false),
                        row("[a-z]", "B", false),
                        row("\u00e9", "\u00e9", true),
                        row("?", "\u00e9", true),
                        row("[\u00e0-\u00f0]", "\u00e9", true),
                        row("[a-\u00e9]", "b", false),
                        row("[a-\u00e9]", "\u0001", true),
                        row("[a-\u00e9]", "\u00ff", true),
                        row("[\u0001-a]", "\u00e9", false),
                        row("[^\u00e9]", "\u00e9", false),
                        row("*\u00e9*", "a\u00e9b", true),
                        row("[\u00ff-a]", "\u0080", false),
                        row("[\u00ff-a]", "b", false))
                .filter(row -> !(row.get()[0].equals("*") && row.get()[1].equals("")));
    }

    private static Arguments row(String pattern, String subject, boolean matches) {
        return Arguments.of(pattern, subject, matches);
    }

    @ParameterizedTest(name = "[{index}] KEYS \"{0}\" on \"{1}\" -> {2}")
    @MethodSource("verifiedAgainstRedis")
    void agreesWithRedisKeys(String pattern, String subject, boolean expected) {
        assertEquals(expected, Glob.matches(pattern, subject, false));
    }

    @Test
    void emptySubjectMatchesOnlyEmptyPattern() {
        assertTrue(Glob.matches("", "", false));
        assertFalse(Glob.matches("*", "", false));
        assertFalse(Glob.matches("**", "", true));
    }

    /** Checked with CONFIG GET, which matches config names in nocase mode. */
    @Test
    void nocaseAgreesWithRedisConfigGet() {
        assertTrue(Glob.matches("MAXMEM*", "maxmemory-policy", true));
        assertTrue(Glob.matches("[L-M]axmemory", "maxmemory", true));
        assertFalse(Glob.matches("[^M]axmemory", "maxmemory", true));
        assertTrue(Glob.matches("\\Maxmemor?", "maxmemory", true));
        assertTrue(Glob.matches("[\\m]axmemory", "maxmemory", true));
        assertFalse(Glob.matches("[\\M]axmemory", "maxmemory", true));
        assertFalse(Glob.matches("[Z-n]axmemory", "maxmemory", true));
        assertFalse(Glob.matches("[n-Z]axmemory", "maxmemory", true));
        assertTrue(Glob.matches("[A-z]axmemory", "maxmemory", true));
        assertTrue(Glob.matches("MAXMEMOR[X-Z]", "maxmemory", true));
        assertTrue(Glob.matches("[M-M]AXMEMORY", "maxmemory", true));
        assertFalse(Glob.matches("[^m]AXMEMORY", "maxmemory", true));
        assertFalse(Glob.matches("maxmemory-polic[^Y]", "maxmemory-policy", true));
        assertTrue(Glob.matches("maxmemory-polic[^X]", "maxmemory-policy", true));
        assertTrue(Glob.matches("*-SAMPLES", "maxmemory-samples", true));
        assertTrue(Glob.matches("M?XMEMORY", "maxmemory", true));
    }

    @Test
    void nocaseFoldsOnlyAsciiLetters() {
        assertTrue(Glob.matches("ABC", "abc", true));
        assertFalse(Glob.matches("ABC", "abc", false));
        assertFalse(Glob.matches("\u00c9", "\u00e9", true));
        assertTrue(Glob.matches("[A-Z]", "b", true));
        assertFalse(Glob.matches("[A-z]", "_", true));
        assertTrue(Glob.matches("[A-z]", "_", false));
    }

    /** Redis 7.0.15 gives up at the 1001st non-trailing '*' group (verified with KEYS). */
    @Test
    void keepsRedisStarGroupLimit() {
        for (int n : new int[] {999, 1000, 1001, 1002}) {
            boolean withinLimit = n <= 1000;
            String as = "a".repeat(n);
            assertEquals(withinLimit, Glob.matches("a*".repeat(n) + "b", as + "b", false), "a*..b " + n);
            assertEquals(withinLimit, Glob.matches("*a".repeat(n) + "*", as, false), "*a..* " + n);
            assertEquals(withinLimit, Glob.matches("*a".repeat(n), as, false), "*a.. " + n);
            assertFalse(Glob.matches("a*".repeat(n) + "b", "a".repeat(n - 1) + "b", false), "short " + n);
        }
        assertTrue(Glob.matches("a*".repeat(1001), "a".repeat(1002), false), "a trailing star never counts");
        assertTrue(Glob.matches("a*".repeat(1001), "a".repeat(1001), false), "stars after the subject ran out");
        assertFalse(Glob.matches("a*".repeat(5000), "a".repeat(5000), false));
        assertTrue(Glob.matches("*".repeat(3000) + "b", "ab", false), "adjacent stars are one group");
    }

    @Test
    void pathologicalPatternsRunFast() {
        String subject = "a".repeat(20_000);
        String pattern = "a*".repeat(900) + "b";
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertFalse(Glob.matches(pattern, subject, false));
            assertFalse(Glob.matches("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", subject, false));
            assertTrue(Glob.matches("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", subject, false));
        });
    }

    @Test
    void offsetsSelectSlices() {
        byte[] pattern = "xxh?llo*yy".getBytes(StandardCharsets.US_ASCII);
        byte[] subject = "--hello world--".getBytes(StandardCharsets.US_ASCII);
        assertTrue(Glob.matches(pattern, 2, 6, subject, 2, 11, false));
        assertFalse(Glob.matches(pattern, 2, 5, subject, 2, 11, false));
        assertTrue(Glob.matches(pattern, 2, 5, subject, 2, 5, false));
        assertFalse(Glob.matches(pattern, 2, 6, subject, 2, 0, false));
    }

    @Test
    void unterminatedSetAtSliceEndDoesNotReadPastIt() {
        byte[] pattern = "[ab]".getBytes(StandardCharsets.US_ASCII);
        byte[] subject = {'b'};
        assertTrue(Glob.matches(pattern, 0, 3, subject, 0, 1, false));
        assertFalse(Glob.matches(pattern, 0, 1, subject, 0, 1, false));
    }

    @Test
    void literalDetection() {
        assertTrue(Glob.isLiteral(bytes("user:1000")));
        assertTrue(Glob.isLiteral(bytes("")));
        assertTrue(Glob.isLiteral(bytes("a]b^c-d!")));
        assertFalse(Glob.isLiteral(bytes("user:*")));
        assertFalse(Glob.isLiteral(bytes("user:?")));
        assertFalse(Glob.isLiteral(bytes("user:[12]")));
        assertFalse(Glob.isLiteral(bytes("user\\:1")));
        assertTrue(Glob.isLiteral(bytes("xx*yy"), 3, 2));
        assertFalse(Glob.isLiteral(bytes("xx*yy"), 1, 2));
    }

    /**
     * Random patterns over a small alphabet with '*', '?', simple sets and escapes of plain letters, compared with
     * the same pattern translated to java.util.regex (the empty-subject quirk excepted).
     */
    @Test
    void agreesWithRegexReference() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 20_000; round++) {
            String pattern = randomPattern(random);
            String subject = randomSubject(random);
            boolean nocase = random.nextInt(4) == 0;
            boolean expected = !subject.isEmpty() || pattern.isEmpty()
                    ? toRegex(pattern, nocase).matcher(subject).matches()
                    : pattern.isEmpty();
            assertEquals(
                    expected,
                    Glob.matches(pattern, subject, nocase),
                    () -> "seed " + seed + ": pattern '" + pattern + "' subject '" + subject + "' nocase " + nocase);
        }
    }

    private static String randomPattern(Random random) {
        StringBuilder pattern = new StringBuilder();
        int elements = random.nextInt(8);
        for (int i = 0; i < elements; i++) {
            switch (random.nextInt(7)) {
                case 0, 1 -> pattern.append('*');
                case 2 -> pattern.append('?');
                case 3 -> pattern.append(random.nextBoolean() ? "[ab]" : "[^b]");
                case 4 -> pattern.append('\\').append(letter(random));
                default -> pattern.append(letter(random));
            }
        }
        return pattern.toString();
    }

    private static String randomSubject(Random random) {
        StringBuilder subject = new StringBuilder();
        int length = random.nextInt(9);
        for (int i = 0; i < length; i++) {
            subject.append(letter(random));
        }
        return subject.toString();
    }

    private static char letter(Random random) {
        return "abcAB".charAt(random.nextInt(5));
    }

    private static Pattern toRegex(String glob, boolean nocase) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append("(?s:.*)");
                case '?' -> regex.append("(?s:.)");
                case '[' -> {
                    int close = glob.indexOf(']', i);
                    regex.append(glob, i, close + 1);
                    i = close;
                }
                case '\\' -> regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), nocase ? Pattern.CASE_INSENSITIVE : 0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
