package io.paddock.client;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;

import java.util.List;

/** One operation of a {@link PaddockClient#multiAsync multi}: all apply in one transaction or none does. */
public sealed interface MultiOp {

    String path();

    record Create(String path, byte[] data, CreateMode mode, long ttlMs, List<Acl> acl) implements MultiOp {
    }

    record SetData(String path, byte[] data, int version) implements MultiOp {
    }

    record Delete(String path, int version) implements MultiOp {
    }

    record Check(String path, int version) implements MultiOp {
    }

    static MultiOp create(String path, byte[] data, CreateMode mode) {
        return new Create(path, data, mode, 0L, Acl.OPEN_ACL_UNSAFE);
    }

    static MultiOp setData(String path, byte[] data, int version) {
        return new SetData(path, data, version);
    }

    static MultiOp delete(String path, int version) {
        return new Delete(path, version);
    }

    static MultiOp check(String path, int version) {
        return new Check(path, version);
    }
}
