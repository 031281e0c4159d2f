package dev.respite.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Expectations checked with CONFIG SET/GET maxmemory and appendonly on redis-server 7.0.15. */
class UnitsTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '=',
            value = {
                "1mb=1048576",
                "1MB=1048576",
                "1m=1000000",
                "1k=1000",
                "1kb=1024",
                "1Kb=1024",
                "1g=1000000000",
                "1gb=1073741824",
                "1b=1",
                "1B=1",
                "100=100",
                "07=7",
                "''=0",
                "kb=0",
                "mb=0",
                "0=0",
                "9223372036854775807=9223372036854775807",
                "8589934591gb=9223372035781033984"
            })
    void parsesMemoryLikeRedis(String value, long bytes) throws ConfigValueException {
        assertEquals(bytes, Units.parseMemory(value));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-1",
                "+1",
                " 1",
                "1 ",
                "1 mb",
                "1.5mb",
                "1tb",
                "1kbb",
                "x",
                "0x10",
                "1\u212Ab",
                "9223372036854775808",
                "8589934592gb",
                "99999999999999999999999"
            })
    void rejectsWhatIsNotAMemorySize(String value) {
        ConfigValueException e = assertThrows(ConfigValueException.class, () -> Units.parseMemory(value));
        assertEquals("argument must be a memory value", e.getMessage());
    }

    @Test
    void parsesYesNoInAnyCase() throws ConfigValueException {
        assertTrue(Units.parseBoolean("yes"));
        assertTrue(Units.parseBoolean("YES"));
        assertFalse(Units.parseBoolean("no"));
        assertFalse(Units.parseBoolean("No"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "", "y", "1", "true", "yes ", "ye\u017F"})
    void rejectsOtherBooleans(String value) {
        ConfigValueException e = assertThrows(ConfigValueException.class, () -> Units.parseBoolean(value));
        assertEquals("argument must be 'yes' or 'no'", e.getMessage());
    }

    @Test
    void formatsLikeConfigGetAndConfigRewrite() {
        assertEquals("1048576", Units.formatMemory(1_048_576));
        assertEquals("0", Units.formatMemory(0));
        assertEquals("yes", Units.formatBoolean(true));
        assertEquals("no", Units.formatBoolean(false));
        assertEquals("1mb", Units.formatMemoryWithUnit(1_048_576));
        assertEquals("3gb", Units.formatMemoryWithUnit(3L << 30));
        assertEquals("1536kb", Units.formatMemoryWithUnit(1_572_864));
        assertEquals("1000", Units.formatMemoryWithUnit(1000));
        assertEquals("0", Units.formatMemoryWithUnit(0));
    }
}
