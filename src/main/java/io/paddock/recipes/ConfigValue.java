package io.paddock.recipes;

import io.paddock.tree.Stat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** One value of a watched znode: its data and the Stat it was read with. */
public record ConfigValue(String path, byte[] data, Stat stat) {

    public ConfigValue {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(stat, "stat");
        data = data == null ? new byte[0] : data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The data as UTF-8 text. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The transaction that wrote this value: larger is newer, across re-creations too. */
    public long mzxid() {
        return stat.mzxid();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigValue v && path.equals(v.path) && Arrays.equals(data, v.data) && stat.equals(v.stat);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(data), stat);
    }

    @Override
    public String toString() {
        return "ConfigValue[" + path + " mzxid=0x" + Long.toHexString(stat.mzxid()) + " version=" + stat.version()
                + " " + data.length + " bytes]";
    }
}
