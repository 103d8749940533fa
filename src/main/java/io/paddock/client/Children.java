package io.paddock.client;

import io.paddock.tree.Stat;

import java.util.List;

/** A znode's children's names (sorted) and the parent's Stat, as getChildren2 answers. */
public record Children(String path, List<String> names, Stat stat) {
}
