package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fixture itself: a target serves, and a restart on the same port keeps the data. */
class ZkTargetTest {

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void restartKeepsPortAndData(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind)) {
            int port = target.address().getPort();
            try (ZooKeeper zk = target.connect(new RecordingWatcher())) {
                zk.create("/kept", "v".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            target.restart();
            assertEquals(port, target.address().getPort());
            try (ZooKeeper zk = target.connect(new RecordingWatcher())) {
                assertArrayEquals("v".getBytes(), zk.getData("/kept", false, null));
                assertThrows(KeeperException.NoNodeException.class, () -> zk.getData("/missing", false, null));
            }
        }
    }
}
