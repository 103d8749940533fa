package io.paddock.client;

import io.paddock.tree.Stat;

/** A znode's data and Stat, as getData answers. */
public record NodeData(String path, byte[] data, Stat stat) {
}
