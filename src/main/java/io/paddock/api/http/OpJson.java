package io.paddock.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import io.paddock.tree.Perms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Request JSON to {@link Op}s: base64 data within maxDataBytes, create modes, TTLs, ACL entries
 * and versions, shared by the znode endpoints and multi.
 */
final class OpJson {

    static final Set<String> CREATE_FIELDS = Set.of("data", "mode", "ttlMs", "acl");
    static final Set<String> SET_DATA_FIELDS = Set.of("data", "version");
    static final Set<String> SET_ACL_FIELDS = Set.of("acl", "version");

    private static final String MODES = String.join(", ",
            Arrays.stream(CreateMode.values()).map(Enum::name).toList());

    private OpJson() {
    }

    /** Data carried as base64 in {@code field}; empty when absent. */
    static byte[] data(JsonFields f, String field, String path, int maxDataBytes) {
        String text = f.string(field).orElse("");
        byte[] data;
        try {
            data = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badInput(path, "field \"" + f.name(field) + "\" is not valid base64");
        }
        return checkSize(data, path, maxDataBytes);
    }

    /** 413 when data is over maxDataBytes, checked here so the server never sees it. */
    static byte[] checkSize(byte[] data, String path, int maxDataBytes) {
        if (data.length > maxDataBytes) {
            throw ApiException.tooLarge(path, "data is " + data.length + " bytes, over maxDataBytes ("
                    + maxDataBytes + ")");
        }
        return data;
    }

    /** A create mode by name, any case; PERSISTENT when absent. */
    static CreateMode mode(String text, String what) {
        if (text == null) {
            return CreateMode.PERSISTENT;
        }
        try {
            return CreateMode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badInput(null, what + " is \"" + ApiException.clip(text)
                    + "\", not a create mode; the modes are " + MODES);
        }
    }

    /**
     * The TTL for a mode: required and positive for the TTL modes, refused for the others (as
     * ZooKeeper's EphemeralType.validateTTL refuses a TTL with a mode that has none); 0 when none.
     */
    static long ttl(CreateMode mode, OptionalLong ttlMs, String what, String path) {
        if (mode.isTtl()) {
            if (ttlMs.isEmpty() || ttlMs.getAsLong() <= 0) {
                throw ApiException.badInput(path, mode + " needs " + what + " greater than 0");
            }
            return ttlMs.getAsLong();
        }
        if (ttlMs.isPresent()) {
            throw ApiException.badInput(path, what + " applies only to the TTL modes, not " + mode);
        }
        return 0;
    }

    /** A version: -1 (any) when absent; below -1 is refused. */
    static int version(OptionalInt version, String what, String path) {
        if (version.isEmpty()) {
            return -1;
        }
        if (version.getAsInt() < -1) {
            throw ApiException.badInput(path, what + " must be -1 (any) or a version number, not "
                    + version.getAsInt());
        }
        return version.getAsInt();
    }

    /** ACL entries {"scheme","id","perms"}; perms as a bit set or zkCli letters; the open ACL when absent. */
    static List<Acl> acl(JsonFields f, String field) {
        ArrayNode array = f.array(field).orElse(null);
        if (array == null) {
            return Acl.OPEN_ACL_UNSAFE;
        }
        List<Acl> acl = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String where = f.name(field) + "[" + i + "]";
            JsonNode entry = array.get(i);
            if (!entry.isObject()) {
                throw ApiException.badInput(null, "\"" + where + "\" must be an object {\"scheme\",\"id\",\"perms\"}, not "
                        + JsonFields.kind(entry));
            }
            JsonFields e = JsonFields.of((ObjectNode) entry, where + ".", Set.of("scheme", "id", "perms"));
            String scheme = e.requiredString("scheme");
            String id = e.requiredString("id");
            JsonNode permsNode = e.raw("perms").orElseThrow(() -> e.missing("perms"));
            acl.add(new Acl(perms(permsNode, e.name("perms")), new Id(scheme, id)));
        }
        return acl;
    }

    private static int perms(JsonNode v, String what) {
        if (v.isTextual()) {
            int bits = Perms.parse(v.textValue());
            if (bits < 0) {
                throw ApiException.badInput(null, "\"" + what + "\" has a letter other than c, d, r, w, a: \""
                        + ApiException.clip(v.textValue()) + "\"");
            }
            return bits;
        }
        if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0 && v.intValue() <= Perms.ALL) {
            return v.intValue();
        }
        throw ApiException.badInput(null, "\"" + what + "\" must be letters from \"cdrwa\" or an integer from 0 to "
                + Perms.ALL + ", not " + JsonFields.kind(v));
    }

    /** A create from a body with the {@link #CREATE_FIELDS}. */
    static Op.Create create(JsonFields f, String path, int maxDataBytes) {
        return create(f, path, maxDataBytes, Optional.empty(), OptionalLong.empty());
    }

    /**
     * A create from a body with the {@link #CREATE_FIELDS}, where mode and TTL may also come from
     * the query string ({@code ?mode=…&ttlMs=…}); given in both places, they must agree.
     */
    static Op.Create create(JsonFields f, String path, int maxDataBytes, Optional<String> queryMode,
                            OptionalLong queryTtlMs) {
        byte[] data = data(f, "data", path, maxDataBytes);
        Optional<String> bodyMode = f.string("mode");
        CreateMode mode = bodyMode.isPresent() ? mode(bodyMode.get(), "\"" + f.name("mode") + "\"")
                : mode(queryMode.orElse(null), "?mode=");
        if (bodyMode.isPresent() && queryMode.isPresent() && mode != mode(queryMode.get(), "?mode=")) {
            throw ApiException.badInput(path, "the mode in the body and ?mode= differ");
        }
        OptionalLong bodyTtl = f.longInteger("ttlMs");
        if (bodyTtl.isPresent() && queryTtlMs.isPresent() && bodyTtl.getAsLong() != queryTtlMs.getAsLong()) {
            throw ApiException.badInput(path, "the ttlMs in the body and ?ttlMs= differ");
        }
        long ttlMs = ttl(mode, bodyTtl.isPresent() ? bodyTtl : queryTtlMs,
                bodyTtl.isPresent() ? "\"" + f.name("ttlMs") + "\"" : "ttlMs", path);
        return new Op.Create(path, data, acl(f, "acl"), mode, ttlMs);
    }

    /** A version from the body or {@code ?version=}; given in both places, they must agree. */
    static int version(JsonFields f, OptionalInt queryVersion, String path) {
        OptionalInt body = f.integer("version");
        if (body.isPresent() && queryVersion.isPresent() && body.getAsInt() != queryVersion.getAsInt()) {
            throw ApiException.badInput(path, "the version in the body and ?version= differ");
        }
        return version(body.isPresent() ? body : queryVersion, "version", path);
    }

    /** One op of a multi: {"op":"create"|"setData"|"delete"|"check","path",…}. */
    static Op multiOp(JsonNode node, int index, int maxDataBytes) {
        String where = "ops[" + index + "]";
        if (!node.isObject()) {
            throw ApiException.badInput(null, "\"" + where + "\" must be an object, not " + JsonFields.kind(node));
        }
        JsonNode kind = node.get("op");
        if (kind == null || !kind.isTextual()) {
            throw ApiException.badInput(null, "\"" + where + ".op\" must be one of \"create\", \"setData\", "
                    + "\"delete\", \"check\"");
        }
        String prefix = where + ".";
        ObjectNode obj = (ObjectNode) node;
        return switch (kind.textValue()) {
            case "create" -> {
                JsonFields f = JsonFields.of(obj, prefix, Set.of("op", "path", "data", "mode", "ttlMs", "acl"));
                yield create(f, f.requiredString("path"), maxDataBytes);
            }
            case "setData" -> {
                JsonFields f = JsonFields.of(obj, prefix, Set.of("op", "path", "data", "version"));
                String path = f.requiredString("path");
                yield new Op.SetData(path, data(f, "data", path, maxDataBytes),
                        version(f.integer("version"), f.name("version"), path));
            }
            case "delete" -> {
                JsonFields f = JsonFields.of(obj, prefix, Set.of("op", "path", "version"));
                String path = f.requiredString("path");
                yield new Op.Delete(path, version(f.integer("version"), f.name("version"), path));
            }
            case "check" -> {
                JsonFields f = JsonFields.of(obj, prefix, Set.of("op", "path", "version"));
                String path = f.requiredString("path");
                yield new Op.Check(path, version(f.integer("version"), f.name("version"), path));
            }
            default -> throw ApiException.badInput(null, "\"" + where + ".op\" is \""
                    + ApiException.clip(kind.textValue()) + "\"; it must be one of \"create\", \"setData\", "
                    + "\"delete\", \"check\"");
        };
    }

    /** The name a multi's JSON uses for an op. */
    static String opName(Op op) {
        if (op instanceof Op.Create) {
            return "create";
        }
        if (op instanceof Op.SetData) {
            return "setData";
        }
        if (op instanceof Op.Delete) {
            return "delete";
        }
        if (op instanceof Op.Check) {
            return "check";
        }
        return op.getClass().getSimpleName();
    }
}
