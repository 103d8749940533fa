package io.paddock.api.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HexIdsTest {

    @Test
    void idsPrintAsUnsignedHexLikeZooKeepers() {
        assertEquals("0x0", HexIds.hex(0));
        assertEquals("0x100000001", HexIds.hex(0x100000001L));
        assertEquals("0xff00000000000001", HexIds.hex(0xff00000000000001L));
    }

    @Test
    void appendingWritesWhatHexPrints() {
        long[] values = {0, 1, 0xf, 0x10, 0xabcdefL, 0x100000001L, 0x7fffffffffffffffL, -1, Long.MIN_VALUE,
                0xff00000000000001L};
        for (long v : values) {
            assertEquals("[" + HexIds.hex(v), HexIds.appendHex(new StringBuilder("["), v).toString(),
                    Long.toHexString(v));
        }
    }

    @Test
    void parsingTakesHexInEitherCaseAndDecimal() {
        assertEquals(0xabcL, HexIds.parse("0xABC", "id"));
        assertEquals(0xabcL, HexIds.parse("0Xabc", "id"));
        assertEquals(2748L, HexIds.parse("2748", "id"));
        assertEquals(0xff00000000000001L, HexIds.parse("0xff00000000000001", "id"));
        assertEquals(0xff00000000000001L, HexIds.parse(Long.toUnsignedString(0xff00000000000001L), "id"));
    }

    @Test
    void parsingRefusesEverythingElseNamingTheValue() {
        for (String bad : new String[]{"", "0x", "0x-1", "0x+1", "+5", "12a", "0x1ffffffffffffffff", "zz", " "}) {
            ApiException e = assertThrows(ApiException.class, () -> HexIds.parse(bad, "the header"), bad);
            assertEquals(400, e.status());
            assertEquals(true, e.getMessage().startsWith("the header"), e.getMessage());
        }
    }

    @Test
    void sessionIdZeroNamesNoSession() {
        assertThrows(ApiException.class, () -> HexIds.parseSessionId("0x0", "id"));
        assertThrows(ApiException.class, () -> HexIds.parseSessionId("0", "id"));
        assertEquals(1L, HexIds.parseSessionId("0x1", "id"));
    }
}
