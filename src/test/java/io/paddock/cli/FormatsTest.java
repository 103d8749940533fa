package io.paddock.cli;

import io.paddock.client.EventState;
import io.paddock.client.PaddockException;
import io.paddock.client.WatchEvent;
import io.paddock.tree.Acl;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.EventType;
import io.paddock.tree.Id;
import io.paddock.tree.Perms;
import io.paddock.tree.Stat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FormatsTest {

    private static final String NL = System.lineSeparator();

    @Test
    void statPrintsZkCliLinesInZkCliOrderWithHexZxids() {
        Stat s = new Stat(0x1a, 0x2b, 1_700_000_000_000L, 1_700_000_500_000L, 3, 4, 5, 0x100000abcL, 6, 7, 0x3c);
        String expected = "cZxid = 0x1a" + NL
                + "ctime = " + new Date(1_700_000_000_000L) + NL
                + "mZxid = 0x2b" + NL
                + "mtime = " + new Date(1_700_000_500_000L) + NL
                + "pZxid = 0x3c" + NL
                + "cversion = 4" + NL
                + "dataVersion = 3" + NL
                + "aclVersion = 5" + NL
                + "ephemeralOwner = 0x100000abc" + NL
                + "dataLength = 6" + NL
                + "numChildren = 7" + NL;
        assertEquals(expected, Formats.stat(s));
    }

    @Test
    void aclEntriesPrintAsJuteIdsThenPermissionLetters() {
        List<Acl> acl = List.of(new Acl(Perms.ALL, Id.ANYONE), new Acl(Perms.READ | Perms.WRITE, new Id("ip", "127.0.0.1")));
        assertEquals("'world,'anyone" + NL + ": cdrwa" + NL + "'ip,'127.0.0.1" + NL + ": rw" + NL, Formats.acl(acl));
    }

    @Test
    void juteEscapesCommasAndPercentsInIds() {
        assertEquals("'x,'a%2Cb%25c%7D" + NL, Formats.juteId(new Id("x", "a,b%c}")));
    }

    @Test
    void childrenPrintSortedAsAJavaList() {
        assertEquals("[a, b, zookeeper]", Formats.children(List.of("zookeeper", "b", "a")));
        assertEquals("[]", Formats.children(List.of()));
    }

    @Test
    void aWatchEventPrintsAsZooKeeper39PrintsItWithItsZxid() {
        WatchEvent e = new WatchEvent(EventType.NodeDataChanged, EventState.SyncConnected, "/a", 0x22);
        assertEquals(NL + "WATCHER::" + NL + NL
                + "WatchedEvent state:SyncConnected type:NodeDataChanged path:/a zxid: 34" + NL, Formats.watchEvent(e));
        assertEquals(NL + "WATCHER::" + NL + NL + "WatchedEvent state:Closed type:None path:null zxid: -1" + NL,
                Formats.watchEvent(WatchEvent.state(EventState.Closed)));
    }

    @Test
    void hexDumpIsNettysPrettyHexDump() {
        // As zkCli 3.9.5 printed "get -x" of this data.
        String expected = String.join(NL,
                "         +-------------------------------------------------+",
                "         |  0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f |",
                "+--------+-------------------------------------------------+----------------+",
                "|00000000| 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66 |0123456789abcdef|",
                "|00000010| 58 59 5a 0a                                     |XYZ.            |",
                "+--------+-------------------------------------------------+----------------+");
        assertEquals(expected, Formats.hexDump("0123456789abcdefXYZ\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", Formats.hexDump(new byte[0]));
    }

    @Test
    void commonRefusalsPrintZkCliSentences() {
        assertEquals("Node does not exist: /a", Formats.error(PaddockException.create(ErrorCode.NO_NODE, "/a", "x"), null));
        assertEquals("Node already exists: /a", Formats.error(PaddockException.create(ErrorCode.NODE_EXISTS, "/a", "x"), null));
        assertEquals("Node not empty: /a", Formats.error(PaddockException.create(ErrorCode.NOT_EMPTY, "/a", "x"), null));
        assertEquals("version No is not valid : /a",
                Formats.error(PaddockException.create(ErrorCode.BAD_VERSION, "/a", "x"), null));
        assertEquals("Insufficient permission : /a",
                Formats.error(PaddockException.create(ErrorCode.NO_AUTH, "/a", "x"), null));
        assertEquals("Ephemerals cannot have children: /e/x",
                Formats.error(PaddockException.create(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, "/e/x", "x"), null));
    }

    @Test
    void otherRefusalsPrintKeeperExceptionMessages() {
        assertEquals("KeeperErrorCode = No such watcher for /w",
                Formats.error(PaddockException.create(ErrorCode.NO_WATCHER, "/w", "x"), null));
        assertEquals("KeeperErrorCode = ConnectionLoss for /r",
                Formats.error(PaddockException.create(ErrorCode.CONNECTION_LOSS, null, "x"), "/r"));
        assertEquals("KeeperErrorCode = Session expired",
                Formats.error(PaddockException.create(ErrorCode.SESSION_EXPIRED, null, "x"), null));
    }

    @Test
    void whoamiShowsADigestIdentityByItsUserName() {
        assertEquals("digest: u", Formats.identity(new Id("digest", "u:Jq7wMyA/w2Vd5WIDAKdu4OIIFEQ=")));
        assertEquals("ip: 127.0.0.1", Formats.identity(new Id("ip", "127.0.0.1")));
    }
}
