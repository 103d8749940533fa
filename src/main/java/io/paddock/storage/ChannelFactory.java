package io.paddock.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens every file channel the log uses (segments and the directory), so that tests can hand
 * out channels that fail like a full disk on the Nth write or force.
 */
@FunctionalInterface
interface ChannelFactory {

    ChannelFactory DEFAULT = FileChannel::open;

    FileChannel open(Path file, OpenOption... options) throws IOException;
}
