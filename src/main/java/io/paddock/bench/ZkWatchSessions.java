package io.paddock.bench;

import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.WatcherEvent;

import java.io.IOException;

/** The watch workload's sessions over ZooKeeper's protocol: a watcher (getData with the watch flag) and the writer (setData). */
final class ZkWatchSessions {

    private ZkWatchSessions() {
    }

    /** A watcher on a session of its own. */
    static final class Watcher implements WatchFanOut.Watcher {
        private final ZkConnection connection;
        private final String path;
        private final GetDataRequest getData;
        private boolean closed;

        Watcher(ZkConnection connection, String path) {
            this.connection = connection;
            this.path = path;
            this.getData = new GetDataRequest(path, true);
        }

        @Override
        public void arm() throws OpFailure {
            try {
                int err = connection.call(ZkWire.GET_DATA, getData, null);
                if (err != 0) {
                    throw OpFailure.zk(err, "getData " + path + " with a watch", connection, true);
                }
            } catch (IOException e) {
                throw OpFailure.lost(e, connection.describe(), true);
            }
        }

        @Override
        public void awaitChange() throws OpFailure {
            try {
                while (true) {
                    WatcherEvent event = connection.awaitEvent();
                    if (event.getType() == ZkWire.NODE_DATA_CHANGED && path.equals(event.getPath())) {
                        return;
                    }
                }
            } catch (IOException e) {
                throw OpFailure.lost(e, "waiting for the notification from " + connection.describe(), true);
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                connection.closeSession();
            }
        }

        @Override
        public void abort() {
            connection.close();
        }
    }

    /** The writer, on a session of its own: setData with any version. */
    static final class Writer implements WatchFanOut.Writer {
        private final ZkConnection connection;
        private final SetDataRequest setData;
        private boolean closed;

        Writer(ZkConnection connection, String path, byte[] value) {
            this.connection = connection;
            this.setData = new SetDataRequest(path, value, -1);
        }

        @Override
        public void write() throws OpFailure {
            try {
                int err = connection.call(ZkWire.SET_DATA, setData, null);
                if (err != 0) {
                    throw OpFailure.zk(err, "setData " + setData.getPath(), connection, true);
                }
            } catch (IOException e) {
                throw OpFailure.lost(e, connection.describe(), true);
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                connection.closeSession();
            }
        }
    }
}
