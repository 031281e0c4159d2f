package dev.respite.storage.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExpiryWheelTest {
    private static final int UNLIMITED = Integer.MAX_VALUE;

    /** A stand-in for a keyspace entry: its current expiry, -1 for none. */
    private static final class Entry {
        final String name;
        long expireAt = -1;

        Entry(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name + "@" + expireAt;
        }
    }

    /** Records expirations and counts questions, behaving as a keyspace would (expired entries lose their TTL). */
    private static final class Keyspace implements ExpiryCallback<Entry> {
        final List<Entry> expired = new ArrayList<>();
        long now;
        int questions;

        @Override
        public long currentExpireAt(Entry entry) {
            questions++;
            return entry.expireAt;
        }

        @Override
        public void expire(Entry entry) {
            if (entry.expireAt < 0 || entry.expireAt > now) {
                fail("expired " + entry + " at " + now);
            }
            entry.expireAt = -1;
            expired.add(entry);
        }

        int advance(ExpiryWheel<Entry> wheel, long to, int budget) {
            now = to;
            return wheel.advance(to, budget, this);
        }
    }

    private final Keyspace keyspace = new Keyspace();

    private static Entry scheduled(ExpiryWheel<Entry> wheel, String name, long expireAt) {
        Entry entry = new Entry(name);
        entry.expireAt = expireAt;
        wheel.schedule(entry, expireAt);
        return entry;
    }

    @Test
    void rejectsBadGeometry() {
        assertThrows(IllegalArgumentException.class, () -> new ExpiryWheel<Entry>(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ExpiryWheel<Entry>(100, 10));
        assertThrows(IllegalArgumentException.class, () -> new ExpiryWheel<Entry>(64, 0));
    }

    @Test
    void expiresExactlyWhenDue() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(64, 10);
        keyspace.advance(wheel, 1_000, UNLIMITED);
        Entry a = scheduled(wheel, "a", 1_023);
        Entry b = scheduled(wheel, "b", 1_027);
        assertEquals(0, keyspace.advance(wheel, 1_022, UNLIMITED));
        assertEquals(1, keyspace.advance(wheel, 1_023, UNLIMITED));
        assertEquals(List.of(a), keyspace.expired);
        assertEquals(0, keyspace.advance(wheel, 1_026, UNLIMITED));
        assertEquals(1, keyspace.advance(wheel, 1_030, UNLIMITED));
        assertEquals(List.of(a, b), keyspace.expired);
        assertEquals(0, wheel.size());
    }

    @Test
    void farFutureExpirySurvivesManyRotations() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(8, 10);
        Entry far = scheduled(wheel, "far", 10_005);
        int questionsBefore = keyspace.questions;
        for (long now = 0; now < 10_005; now += 10) {
            assertEquals(0, keyspace.advance(wheel, now, UNLIMITED), "at " + now);
        }
        int rotations = 10_005 / 80;
        assertTrue(
                keyspace.questions - questionsBefore <= 2 * (rotations + 1),
                "asked " + (keyspace.questions - questionsBefore) + " times over " + rotations + " rotations");
        assertEquals(1, wheel.size());
        assertEquals(1, keyspace.advance(wheel, 10_005, UNLIMITED));
        assertEquals(List.of(far), keyspace.expired);
    }

    @Test
    void reschedulingEarlierExpiresEarlyOnceAndDropsTheOldRegistration() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(16, 10);
        Entry entry = scheduled(wheel, "k", 5_000);
        entry.expireAt = 105;
        wheel.schedule(entry, 105);
        assertEquals(2, wheel.size());
        assertEquals(1, keyspace.advance(wheel, 105, UNLIMITED));
        assertEquals(0, keyspace.advance(wheel, 6_000, UNLIMITED));
        assertEquals(List.of(entry), keyspace.expired);
        assertEquals(0, wheel.size());
    }

    @Test
    void reschedulingLaterPostponesAndDropsTheOldRegistration() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(16, 10);
        Entry entry = scheduled(wheel, "k", 105);
        entry.expireAt = 5_003;
        wheel.schedule(entry, 5_003);
        assertEquals(0, keyspace.advance(wheel, 160, UNLIMITED));
        assertEquals(1, wheel.size(), "the registration for 105 is stale");
        assertEquals(0, keyspace.advance(wheel, 5_002, UNLIMITED));
        assertEquals(1, keyspace.advance(wheel, 5_003, UNLIMITED));
        assertEquals(List.of(entry), keyspace.expired);
    }

    @Test
    void reschedulingLaterWithinTheSameSlotKeepsOneLiveRegistration() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(16, 10);
        Entry entry = scheduled(wheel, "k", 105);
        entry.expireAt = 105 + 160 * 3;
        wheel.schedule(entry, entry.expireAt);
        assertEquals(0, keyspace.advance(wheel, 200, UNLIMITED));
        assertEquals(1, keyspace.advance(wheel, 105 + 160 * 3, UNLIMITED));
        assertEquals(0, keyspace.advance(wheel, 2_000, UNLIMITED));
        assertEquals(List.of(entry), keyspace.expired);
        assertEquals(0, wheel.size());
    }

    @Test
    void persistedAndDeletedEntriesAreDroppedNotExpired() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(16, 10);
        Entry persisted = scheduled(wheel, "persisted", 50);
        Entry deleted = scheduled(wheel, "deleted", 50);
        Entry kept = scheduled(wheel, "kept", 50);
        persisted.expireAt = -1;
        deleted.expireAt = -1;
        assertEquals(1, keyspace.advance(wheel, 100, UNLIMITED));
        assertEquals(List.of(kept), keyspace.expired);
        assertEquals(0, wheel.size());
    }

    @Test
    void duplicateRegistrationsExpireOnce() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(16, 10);
        Entry entry = scheduled(wheel, "k", 42);
        wheel.schedule(entry, 42);
        wheel.schedule(entry, 42);
        assertEquals(1, keyspace.advance(wheel, 42, UNLIMITED));
        assertEquals(0, wheel.size());
    }

    @Test
    void pastExpiryIsHandledByTheNextAdvance() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(16, 10);
        keyspace.advance(wheel, 10_000, UNLIMITED);
        Entry late = scheduled(wheel, "late", 20);
        assertEquals(1, keyspace.advance(wheel, 10_001, UNLIMITED));
        assertEquals(List.of(late), keyspace.expired);
    }

    @Test
    void budgetLimitsWorkAndTheNextCallResumes() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(16, 10);
        for (int i = 0; i < 100; i++) {
            scheduled(wheel, "k" + i, 30 + i % 3);
        }
        for (int i = 0; i < 20; i++) {
            scheduled(wheel, "future" + i, 30 + 160L * (i + 1));
        }
        int total = 0;
        int calls = 0;
        while (total < 100) {
            int before = keyspace.questions;
            int expired = keyspace.advance(wheel, 40, 7);
            assertTrue(keyspace.questions - before <= 7);
            total += expired;
            assertTrue(++calls < 100, "no progress");
        }
        assertEquals(100, total);
        assertEquals(100, keyspace.expired.size());
        assertEquals(20, wheel.size());
        assertEquals(0, keyspace.advance(wheel, 40, 0));
    }

    @Test
    void budgetResumesMidSlotAcrossTicks() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(16, 10);
        for (int i = 0; i < 10; i++) {
            scheduled(wheel, "a" + i, 5);
            scheduled(wheel, "b" + i, 15);
        }
        assertEquals(4, keyspace.advance(wheel, 20, 4));
        assertEquals(4, keyspace.advance(wheel, 21, 4));
        assertEquals(12, keyspace.advance(wheel, 22, UNLIMITED));
        assertEquals(0, wheel.size());
    }

    @Test
    void resumingInsideTheCurrentTickRechecksWhatBecameDue() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(16, 10);
        keyspace.advance(wheel, 100, UNLIMITED);
        for (int i = 0; i < 5; i++) {
            scheduled(wheel, "k" + i, 105 + i);
        }
        assertEquals(0, keyspace.advance(wheel, 104, 3));
        assertEquals(5, keyspace.advance(wheel, 109, UNLIMITED));
    }

    @Test
    void timeJumpsVisitEachSlotOnceInsteadOfEveryMissedTick() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(1024, 1);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            entries.add(scheduled(wheel, "k" + i, 1_000L * i));
        }
        Entry later = scheduled(wheel, "later", 30L * 24 * 3_600_000 + 1);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            keyspace.advance(wheel, 0, UNLIMITED);
            keyspace.advance(wheel, 30L * 24 * 3_600_000, UNLIMITED);
            keyspace.advance(wheel, 4_000_000_000_000L, UNLIMITED);
        });
        assertEquals(5_001, keyspace.expired.size());
        assertTrue(keyspace.expired.containsAll(entries));
        assertEquals(later, keyspace.expired.get(keyspace.expired.size() - 1));
        Entry afterJump = scheduled(wheel, "afterJump", 4_000_000_000_500L);
        assertEquals(0, keyspace.advance(wheel, 4_000_000_000_499L, UNLIMITED));
        assertEquals(1, keyspace.advance(wheel, 4_000_000_000_500L, UNLIMITED));
        assertTrue(keyspace.expired.contains(afterJump));
    }

    @Test
    void slotsEmptyAndRefillAfterHeavyUse() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(4, 10);
        for (int i = 0; i < 10_000; i++) {
            scheduled(wheel, "k" + i, 5);
        }
        assertEquals(10_000, keyspace.advance(wheel, 5, UNLIMITED));
        assertEquals(0, wheel.size());
        Entry again = scheduled(wheel, "again", 7);
        assertEquals(1, keyspace.advance(wheel, 7, UNLIMITED));
        assertEquals(List.of(again), keyspace.expired.subList(10_000, 10_001));
    }

    @Test
    void clearForgetsEverything() {
        ExpiryWheel<Entry> wheel = new ExpiryWheel<>(16, 10);
        scheduled(wheel, "a", 10);
        scheduled(wheel, "b", 1_000);
        wheel.clear();
        assertEquals(0, wheel.size());
        assertEquals(0, keyspace.advance(wheel, 2_000, UNLIMITED));
        Entry c = scheduled(wheel, "c", 2_010);
        assertEquals(1, keyspace.advance(wheel, 2_010, UNLIMITED));
        assertEquals(List.of(c), keyspace.expired);
    }

    /**
     * Random schedules, reschedules, persists and deletes against a map of key to expiry, advancing with random
     * steps (some of them huge) and budgets. Whenever an advance with no budget limit returns, exactly the keys
     * with an expiry at or before that time must have been expired, each once.
     */
    @Test
    void agreesWithModel() {
        long seed = System.nanoTime();
        try {
            runModel(seed);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    private void runModel(long seed) {
        Random random = new Random(seed);
        int[] slotChoices = {1, 2, 8, 64, 512};
        ExpiryWheel<Entry> wheel =
                new ExpiryWheel<>(slotChoices[random.nextInt(slotChoices.length)], 1 + random.nextInt(20));
        Map<String, Entry> model = new HashMap<>();
        Map<String, Integer> expirations = new HashMap<>();
        long now = random.nextInt(1_000_000);
        Keyspace recorder = new Keyspace();
        for (int step = 0; step < 20_000; step++) {
            String name = "k" + random.nextInt(500);
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> {
                    Entry entry = model.computeIfAbsent(name, Entry::new);
                    long expireAt = now + randomDelay(random);
                    if (entry.expireAt != expireAt) {
                        entry.expireAt = expireAt;
                        wheel.schedule(entry, expireAt);
                    }
                }
                case 4 -> {
                    Entry entry = model.get(name);
                    if (entry != null) {
                        entry.expireAt = -1;
                    }
                }
                case 5 -> {
                    Entry entry = model.remove(name);
                    if (entry != null) {
                        entry.expireAt = -1;
                    }
                }
                case 6, 7 -> {
                    now += random.nextInt(10) == 0 ? random.nextInt(10_000_000) : random.nextInt(50);
                    recorder.advance(wheel, now, 1 + random.nextInt(20));
                }
                default -> {
                    now += random.nextInt(100);
                    recorder.advance(wheel, now, UNLIMITED);
                    for (Entry entry : model.values()) {
                        assertFalse(entry.expireAt >= 0 && entry.expireAt <= now, () -> "still due: " + entry);
                    }
                }
            }
            for (Entry expired : recorder.expired) {
                assertEquals(expired, model.remove(expired.name), "expired an entry not in the keyspace");
                expirations.merge(expired.name + "#" + System.identityHashCode(expired), 1, Integer::sum);
            }
            recorder.expired.clear();
        }
        expirations.forEach((key, count) -> assertEquals(1, count, key));
    }

    private static long randomDelay(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(5) - 2;
            case 1 -> random.nextInt(200);
            case 2 -> random.nextInt(20_000);
            default -> random.nextInt(50_000_000);
        };
    }
}
