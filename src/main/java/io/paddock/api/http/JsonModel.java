package io.paddock.api.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paddock.tree.Acl;
import io.paddock.tree.Id;
import io.paddock.tree.Perms;
import io.paddock.tree.Stat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The JSON the API answers with: one ObjectMapper, and how Stats, ACLs and the like look on the
 * wire. Zxids and session ids are "0x…" strings; other numbers are JSON numbers.
 */
final class JsonModel {

    /**
     * The API's own mapper (never akka-http's default, which sorts properties): strict on input
     * (duplicate keys and trailing tokens are errors), field order kept on output.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    // Request bodies are already bounded by the routes' size limits, and a base64
                    // string for a large maxDataBytes may exceed Jackson's default string limit.
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private JsonModel() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** A Stat with ZooKeeper's field names, in ZooKeeper's order. */
    static ObjectNode stat(Stat s) {
        ObjectNode n = object();
        n.put("czxid", HexIds.hex(s.czxid()));
        n.put("mzxid", HexIds.hex(s.mzxid()));
        n.put("ctime", s.ctime());
        n.put("mtime", s.mtime());
        n.put("version", s.version());
        n.put("cversion", s.cversion());
        n.put("aversion", s.aversion());
        n.put("ephemeralOwner", HexIds.hex(s.ephemeralOwner()));
        n.put("dataLength", s.dataLength());
        n.put("numChildren", s.numChildren());
        n.put("pzxid", HexIds.hex(s.pzxid()));
        return n;
    }

    /**
     * The JSON of {@link #stat(Stat)}, written straight to text: the same bytes, without a tree
     * or a serializer per request, for the answers most requests get (setData, stat, the Stat
     * header of a raw read). Every value is a number or "0x" and hex digits, so nothing needs escaping.
     */
    static String statJson(Stat s) {
        return appendStat(new StringBuilder(256), s).toString();
    }

    static StringBuilder appendStat(StringBuilder sb, Stat s) {
        HexIds.appendHex(sb.append("{\"czxid\":\""), s.czxid());
        HexIds.appendHex(sb.append("\",\"mzxid\":\""), s.mzxid());
        sb.append("\",\"ctime\":").append(s.ctime())
                .append(",\"mtime\":").append(s.mtime())
                .append(",\"version\":").append(s.version())
                .append(",\"cversion\":").append(s.cversion())
                .append(",\"aversion\":").append(s.aversion());
        HexIds.appendHex(sb.append(",\"ephemeralOwner\":\""), s.ephemeralOwner());
        sb.append("\",\"dataLength\":").append(s.dataLength())
                .append(",\"numChildren\":").append(s.numChildren());
        return HexIds.appendHex(sb.append(",\"pzxid\":\""), s.pzxid()).append("\"}");
    }

    /** {"stat":{...}}, as a response body, the same bytes as {@code ok} of the tree. */
    static HttpResponse okStat(Stat s) {
        StringBuilder sb = new StringBuilder(272).append("{\"stat\":");
        appendStat(sb, s).append("}\n");
        return HttpResponse.create()
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** ACL entries as {"scheme","id","perms"} with zkCli's permission letters. */
    static ArrayNode acl(List<Acl> acl) {
        ArrayNode a = array();
        for (Acl entry : acl) {
            ObjectNode e = a.addObject();
            e.put("scheme", entry.id().scheme());
            e.put("id", entry.id().id());
            e.put("perms", Perms.letters(entry.perms()));
        }
        return a;
    }

    /**
     * A session's identities as {"scheme","id"}, as ZooKeeper's whoAmI shows them (its ClientInfo):
     * a digest identity by its user name alone, never the password hash; others whole.
     */
    static ArrayNode identities(List<Id> ids) {
        ArrayNode a = array();
        for (Id id : ids) {
            ObjectNode e = a.addObject();
            e.put("scheme", id.scheme());
            String shown = id.id();
            if ("digest".equals(id.scheme()) && shown.indexOf(':') >= 0) {
                shown = shown.substring(0, shown.indexOf(':'));
            }
            e.put("id", shown);
        }
        return a;
    }

    static ArrayNode strings(List<String> values) {
        ArrayNode a = array();
        values.forEach(a::add);
        return a;
    }

    static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data == null ? new byte[0] : data);
    }

    /** One line of JSON, for headers. */
    static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // A tree of plain nodes always serializes; failing here is a programming error.
            throw new IllegalStateException(e);
        }
    }

    /**
     * A JSON response. The body ends with a newline, so that curl's output ends its line (JSON
     * parsers ignore it).
     */
    static HttpResponse response(int status, JsonNode body) {
        byte[] bytes = (compact(body) + "\n").getBytes(StandardCharsets.UTF_8);
        return HttpResponse.create()
                .withStatus(StatusCodes.get(status))
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes));
    }

    static HttpResponse ok(JsonNode body) {
        return response(200, body);
    }
}
