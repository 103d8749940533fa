package io.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /zookeeper/config's data is each server's configuration: set outside transactions, outside the digest. */
class ConfigDataTest {

    private static final byte[] CONFIG = "server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\nversion=0"
            .getBytes(StandardCharsets.UTF_8);

    private static DataTree treeWithANode() {
        DataTree tree = new DataTree();
        tree.apply(new TxnRecord(1, 0, 0, 1000, new Txn.Create("/a", new byte[] {1}, Acl.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT, 0, -1)));
        return tree;
    }

    @Test
    void settingTheConfigChangesItsDataOnlyNotZxidsStatOrAcl() {
        DataTree tree = treeWithANode();
        ZNode config = tree.node(DataTree.CONFIG_ZOOKEEPER);
        Stat before = config.stat();
        tree.setConfigData(CONFIG);
        assertArrayEquals(CONFIG, config.data());
        Stat after = config.stat();
        assertEquals(new Stat(before.czxid(), before.mzxid(), before.ctime(), before.mtime(), before.version(),
                before.cversion(), before.aversion(), before.ephemeralOwner(), CONFIG.length, before.numChildren(),
                before.pzxid()), after);
        assertEquals(1, tree.lastZxid());
        assertEquals(Acl.READ_ACL_UNSAFE, config.acl());
    }

    @Test
    void theCallersArrayIsCopied() {
        DataTree tree = new DataTree();
        byte[] data = CONFIG.clone();
        tree.setConfigData(data);
        data[0] = 'X';
        assertArrayEquals(CONFIG, tree.node(DataTree.CONFIG_ZOOKEEPER).data());
    }

    @Test
    void theDigestLeavesTheConfigDataOut() {
        DataTree plain = treeWithANode();
        DataTree configured = treeWithANode();
        configured.setConfigData(CONFIG);
        assertEquals(plain.digest(), configured.digest());
        // ...but still sees every other node's data.
        configured.apply(new TxnRecord(2, 0, 0, 1001, new Txn.SetData("/a", new byte[] {2}, 1)));
        assertNotEquals(plain.digest(), configured.digest());
    }

    @Test
    void aSnapshotCarriesTheConfigDataAndTheRestoredTreeShowsIt() {
        DataTree live = treeWithANode();
        live.setConfigData(CONFIG);
        SnapshotCursor cursor = live.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        assertFalse(cursor.next(Integer.MAX_VALUE, nodes::add));
        DataTree restored = DataTree.restore(cursor.startZxid(), cursor.sessions(), nodes);
        assertArrayEquals(CONFIG, restored.node(DataTree.CONFIG_ZOOKEEPER).data());
        restored.setConfigData(new byte[0]);
        assertEquals(0, restored.node(DataTree.CONFIG_ZOOKEEPER).stat().dataLength());
        assertEquals(live.digest(), restored.digest());
    }
}
