package dev.respite.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MaxmemoryClientsTest {

    private static MaxmemoryClients of(String text) throws ConfigValueException {
        MaxmemoryClients m = new MaxmemoryClients();
        m.set(text);
        return m;
    }

    @Test
    void bytesAreTheLimitWithRedisFloorOf128Kilobytes() throws ConfigValueException {
        assertEquals(3_000_000, of("3000000").bytes(0));
        assertEquals(2 * 1024 * 1024, of("2mb").bytes(0));
        assertEquals(128 * 1024, of("1").bytes(0));
        assertEquals(0, of("0").bytes(1 << 30));
    }

    @Test
    void percentagesAreOfMaxmemoryAndOffWithoutIt() throws ConfigValueException {
        MaxmemoryClients seven = of("7%");
        assertEquals("7%", seven.toString());
        assertEquals(6 * 1024 * 1024 * 7 / 100, seven.bytes(6 * 1024 * 1024));
        assertEquals(0, seven.bytes(0));
        assertEquals(128 * 1024, of("1%").bytes(1024 * 1024));
        assertEquals("0", of("0%").toString());
        assertEquals(0, of("0%").bytes(1 << 30));
    }

    @Test
    void malformedValuesAreRefusedWithRedisReasons() {
        assertEquals(
                "percentage argument must be less or equal to 100",
                assertThrows(ConfigValueException.class, () -> of("101%")).getMessage());
        for (String bad : new String[] {"-1", "%", "1.5%", "12x%", "-5%"}) {
            assertEquals(
                    "argument must be a memory or percent value",
                    assertThrows(ConfigValueException.class, () -> of(bad)).getMessage(),
                    bad);
        }
    }
}
