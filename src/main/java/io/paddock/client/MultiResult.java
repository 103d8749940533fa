package io.paddock.client;

import io.paddock.tree.Stat;

/** The result of one operation of a successful multi, in the order of the ops. */
public sealed interface MultiResult {

    record Create(String path, Stat stat) implements MultiResult {
    }

    record SetData(Stat stat) implements MultiResult {
    }

    record Delete() implements MultiResult {
    }

    record Check() implements MultiResult {
    }
}
