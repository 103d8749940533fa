package io.paddock.client;

import io.paddock.tree.Stat;

/** What a create answers: the actual path (with a sequential suffix) and the new node's Stat. */
public record Created(String path, Stat stat) {
}
