package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged DUMP payloads from Redis 7.2.5's corrupt-dump tests (the payload bytes are facts of the format),
 * restored into Respite and into the reference server under the same sanitize-dump-payload setting, with
 * checksum validation off as those tests have it: the replies must be byte for byte the same, and both
 * servers must answer afterwards. Cases where Redis itself would later crash are left out.
 */
class CorruptDumpDifferentialTest {
    private static RespiteProcess respite;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
        redis = RealRedis.start("--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        respite.close();
        redis.close();
    }

    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of(
                        "yes",
                        "#7445 - with sanitize",
                        "0e011d1d000000160000000300000443434343060442424242063f41414141ff090088a5caa8c541f435"),
                Arguments.of(
                        "no",
                        "hash with valid zip list header, invalid entry len",
                        "0d1b1b00000016000000040000026100040262000414630004026400ff0900d910549215f55f52"),
                Arguments.of(
                        "no",
                        "invalid zlbytes header",
                        "0d1b2500000016000000040000026100040262000402630004026400ff0900b7f76e9f434314c6"),
                Arguments.of(
                        "no",
                        "valid zipped hash header, dup records",
                        "0d1b1b00000016000000040000026100040262000402610004026400ff0900a1983678cc8e932e"),
                Arguments.of(
                        "no",
                        "quicklist big ziplist prev len",
                        "0e0113130000000e0000000200000261000e026200ff0900499730b20da1edaa"),
                Arguments.of(
                        "yes",
                        "quicklist small ziplist prev len",
                        "0e0113130000000e00000002000002610002026200ff0900c77103970775b063"),
                Arguments.of(
                        "no",
                        "quicklist ziplist wrong count",
                        "0e0113130000000e00000003000002610004026200ff09004de20a2f0825df91"),
                Arguments.of("no", "quicklist encoded_len is 0", "120101000a008fc6c0571c0ab33c"),
                Arguments.of(
                        "yes",
                        "quicklist listpack entry start with EOF",
                        "1201020b0b0000000100816102ffff0a007ed8de5b0dd770b8"),
                Arguments.of(
                        "no",
                        "listpack invalid size header",
                        "0f01100000000000000002000000000000000240555f0000000f00010100010201883100000000000000098832000000"
                                + "000000000900010001000100010202883100000000000000098861000000000000000988320000000000000009886200"
                                + "000000000000090801ff0a010000090045910a872fa5f92e"),
                Arguments.of(
                        "yes",
                        "listpack too long entry prev len",
                        "0f0110000000000000000200000000000000024055550000000f00010100150201883100000000000000098832000000"
                                + "000000000900010001000100010202883100000000000000098861000000000000000988320000000000000009886200"
                                + "000000000000090801ff0a010000090006fb44240a8e75ea"),
                Arguments.of(
                        "no",
                        "stream with duplicate consumers",
                        "0f0000000001076d7967726f757000000002046e616d652a4caa9a7d01000000046e616d652b4caa9a7d010000000a00"
                                + "cced8ca762eec7c8"),
                Arguments.of(
                        "yes",
                        "hash listpack with duplicate records",
                        "101717000000040082610003826200038261000382640003ff0a00c0cfa687e5a7c5be"),
                Arguments.of("yes", "hash duplicate records", "040201610162016101640900c69cabbc086b0c06"),
                Arguments.of("no", "hash duplicate records", "040201610162016101640900c69cabbc086b0c06"),
                Arguments.of("no", "hash empty zipmap", "090200ff0900c0f1b8674c16ace3"),
                Arguments.of(
                        "no",
                        "fuzzer findings - invalid read in lzf_decompress",
                        "0203025f31c002c3000900e6dc7644ffeb3dfe"),
                Arguments.of(
                        "no",
                        "fuzzer findings - leak in rdbloading due to dup entry in set",
                        "020a025f39c006025f31c000c004025f35c002c008025f31025f3309007a5afb903ae93cbe"),
                Arguments.of(
                        "no",
                        "fuzzer findings - zset ziplist entry lensize is 0",
                        "0c3d3d0000003a000000140000f102f102025f3104f202f302f302025f3304f402ee02f502025f3504f602f702f70202"
                                + "5f3704f802f902f902025f3904faff0900aef9772a472433f6"),
                Arguments.of(
                        "no",
                        "OOM in rdbGenericLoadStringObject",
                        "0a817fffffffffffffff130000000e00000002000002610004026200ff09005704e5cdd4376c57"),
                Arguments.of(
                        "no", "fuzzer findings - dict init to huge size", "0281c000025f31c0020900b21be5172e15f46c"),
                Arguments.of("yes", "fuzzer findings - huge string", "0081010900f62bb67a8587724d"),
                Arguments.of(
                        "no",
                        "fuzzer findings - zset zslInsert with a NAN score",
                        "050a025f390000000000002240c0080000000000002040025f370000000000001c40c0060000000000001840025f3500"
                                + "00000000001440c0040000000000001040025f330000000000000840c0020000000000000040025f31000000000055f0"
                                + "7fc00000000000000000000a00ec9486d8fd5c5fd8"),
                Arguments.of(
                        "yes",
                        "fuzzer findings - valgrind invalid read",
                        "050a025f390000000000002240c0080000000000002040025f370000000000001c40c0060000000000001840025f3300"
                                + "00000000001440c0040000000000001040025f330000000000000840c0020000000000000040025f31000000000000f0"
                                + "3fc000000000000000000009003c66d714a9da3c69"),
                Arguments.of(
                        "yes",
                        "fuzzer findings - stream bad lp_count",
                        "0f011000000173dedf7d9b00000000000000004042420000001800030100010201846974656d058576616c7565060001"
                                + "0201000100010101000156010201220100010101825f3103050102012c010001010102010501ff038100000173dedf7d"
                                + "c70001076d7967726f75708100000173dedf7d9b000100000173dedf7d9b0000000000000000f97ddfde730100000101"
                                + "05416c696365eb7ddfde730100000100000173dedf7d9b00000000000000000900b2a8a75f1b6172d5"),
                Arguments.of(
                        "yes",
                        "fuzzer findings - stream with non-integer entry id",
                        "0f03100000017b1334c3b20000000000000000c3404f405c185c0000002400050100010201846974656d058576616c75"
                                + "6506401000802001000120030005201c4009050101825f3103800d0002200d0002a0190003200b02825f33a019000420"
                                + "0d0004201900ff100000017b1334c3b20000000000000005c34056406118610000002400050100010201846974656d05"
                                + "8576616c756506401000002001060101825f350305201e400b0301010601400b030101dffb200502825f37601a200e00"
                                + "fc20050008c01b00fd200c02825f39201b00ff100000017b1334c3b30000000000000003c33d404a184a000000150002"
                                + "0100010201846974656d058576616c75650640100000200140000005600702dffd02c02309010186756e6971756507a0"
                                + "2d020801ff0c810000017b1334c3b4000009009dbdd5b933c4c5ff"),
                Arguments.of(
                        "yes",
                        "fuzzer findings - stream PEL without consumer",
                        "0f01100000017b08f0b2340000000000000000c33b404219420000001800020101010201846974656d058576616c7565"
                                + "060020100000200100012003020501032005400004825f31030560198032020501ff02810000017b08f0b2340201076d"
                                + "7967726f7570810000017b08f0b23401010000017b08f0b234000000000000000135b2f0087b010000010113416c6963"
                                + "6535b2f0087b010000010000017b08f0b23400000000000000010900282fe0c504bba731"),
                Arguments.of(
                        "yes",
                        "fuzzer findings - streamLastValidID panic",
                        "13c010000001802048a0330000000000000000c3404f405c185c0000002400050100010201846974656d058576616c75"
                                + "6506401000002001000120030005201c4009050101825f3103800d0002200d0002a0190003200b02825f336019402f02"
                                + "010104201900ff10000001802048a0340000000000000001c34051405e185e0000002400050100010201846974656d05"
                                + "8576616c756506401000002001060101825f350305201e400b0301010601800b0002200b02825f37a0190003200d0008"
                                + "a0190004200b02825f39201900ff10000001802048a0340000000000000006c33d404a184a0000001500020100010201"
                                + "846974656d058576616c75650640100000200140000005600702dffa02c02309010186756e6971756507a02d020801ff"
                                + "0c81000001802048a0350081000001802048a0330000000c000a00348b0e5b42cdd608"),
                Arguments.of(
                        "no",
                        "fuzzer findings - empty set listpack",
                        "14252500000000000201825f37030601825f3503825f33030001825f3103825f390304a90801ff0b00a32649b486b00f"
                                + "41"),
                Arguments.of(
                        "yes",
                        "fuzzer findings - set with duplicate elements causes sdiff to hang",
                        "1425250000000a000601825f35030401825f3103825f33030001825f3903825f330308010201ff0b0031be7d4101035b"
                                + "ec"),
                Arguments.of(
                        "no",
                        "fuzzer findings - set with duplicate elements causes sdiff to hang",
                        "1425250000000a000601825f35030401825f3103825f33030001825f3903825f330308010201ff0b0031be7d4101035b"
                                + "ec"),
                Arguments.of(
                        "yes",
                        "fuzzer findings - hash crash",
                        "0d191900000016000000060000f102f102f202025f3104f302f3ff090038b810c08af916df"));
    }

    @ParameterizedTest(name = "sanitize {0}: {1}")
    @MethodSource("payloads")
    void restoreAnswersAsRedisDoes(String sanitize, String name, String hex) throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("CONFIG", "SET", "sanitize-dump-payload", sanitize);
            d.check("DEBUG", "set-skip-checksum-validation", "1");
            d.check("DEL", "_key");
            restore(d, "_key", HexFormat.of().parseHex(hex));
            d.check("PING");
        }
    }

    @Test
    void aSmallHashThatPassesTheDeepCheckServesCommands() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("CONFIG", "SET", "sanitize-dump-payload", "yes");
            d.check("DEBUG", "set-skip-checksum-validation", "1");
            d.check("DEL", "_hash");
            restore(
                    d,
                    "_hash",
                    HexFormat.of()
                            .parseHex("0d191900000016000000060000f102f102f202025f3104f302f3ff090038b810c08af916df"));
            d.check("HSET", "_hash", "394891450", "1635910264");
            d.check("HMGET", "_hash", "887312884855", "0", "1");
            d.check("HLEN", "_hash");
        }
    }

    @Test
    void aWrongChecksumIsRefusedUnlessValidationIsSkipped() throws IOException {
        byte[] payload = HexFormat.of().parseHex("000568656c6c6f0b00000000000000000000");
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("DEBUG", "set-skip-checksum-validation", "0");
            d.check("DEL", "_string");
            restore(d, "_string", payload);
            d.check("DEBUG", "set-skip-checksum-validation", "1");
            restore(d, "_string", payload);
            d.check("GET", "_string");
            d.check("DEBUG", "set-skip-checksum-validation", "0");
        }
    }

    @Test
    void clientsModeChecksDeeplyUnlessTheUserSkipsSanitizing() throws IOException {
        byte[] repeatedField =
                HexFormat.of().parseHex("101717000000040082610003826200038261000382640003ff0a00c0cfa687e5a7c5be");
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("CONFIG", "SET", "sanitize-dump-payload", "clients");
            d.check("DEBUG", "set-skip-checksum-validation", "1");
            d.check("ACL", "SETUSER", "trusted", "on", ">secret", "~*", "+@all", "skip-sanitize-payload");
            d.check("DEL", "_key");
            restore(d, "_key", repeatedField);
            d.check("AUTH", "trusted", "secret");
            restore(d, "_key", repeatedField);
            d.check("TYPE", "_key");
            d.check("AUTH", "default", "");
            d.check("ACL", "DELUSER", "trusted");
            d.check("CONFIG", "SET", "sanitize-dump-payload", "no");
        }
    }

    @Test
    void sanitizeDumpPayloadTakesRedisValues() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            for (String v : new String[] {"clients", "yes", "no", "maybe"}) {
                d.check("CONFIG", "SET", "sanitize-dump-payload", v);
                d.check("CONFIG", "GET", "sanitize-dump-payload");
            }
        }
    }

    private static void restore(Differential d, String key, byte[] payload) throws IOException {
        byte[][] args = {bytes("RESTORE"), bytes(key), bytes("0"), payload, bytes("REPLACE")};
        d.respite().command(args);
        d.redis().command(args);
        assertEquals(d.redis().readReply(), d.respite().readReply(), "RESTORE reply");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
