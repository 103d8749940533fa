package io.paddock.recipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ServiceInstanceTest {

    @Test
    void jsonRoundTripKeepsEveryField() {
        ServiceInstance s = new ServiceInstance("web", "web-1", "10.1.2.3", 8080, 0.75, Map.of("zone", "a", "v", "2"));
        assertEquals(s, ServiceInstance.fromJson(s.toJson()));
    }

    @Test
    void jsonHasTheDocumentedFields() throws Exception {
        ServiceInstance s = new ServiceInstance("web", "web-1", "host1", 80, 1.5, Map.of("k", "v"));
        JsonNode json = new ObjectMapper().readTree(s.toJson());
        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("name", "id", "address", "port", "load", "payload"), names);
        assertEquals(1.5, json.get("load").asDouble());
        assertEquals("v", json.get("payload").get("k").asText());
    }

    @Test
    void theSameInstanceAlwaysHasTheSameBytes() {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("b", "2");
        one.put("a", "1");
        Map<String, String> other = new LinkedHashMap<>();
        other.put("a", "1");
        other.put("b", "2");
        assertArrayEquals(new ServiceInstance("s", "i", "h", 1, 0, one).toJson(),
                new ServiceInstance("s", "i", "h", 1, 0, other).toJson());
    }

    @Test
    void unknownFieldsOfANewerWriterAreIgnored() {
        String json = "{\"name\":\"web\",\"id\":\"w1\",\"address\":\"h\",\"port\":1,\"load\":0.5,"
                + "\"payload\":{},\"registeredAt\":12345}";
        assertEquals(ServiceInstance.of("web", "w1", "h", 1).withLoad(0.5),
                ServiceInstance.fromJson(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void dataThatIsNoInstanceIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ServiceInstance.fromJson(new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> ServiceInstance.fromJson("host1.example".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class,
                () -> ServiceInstance.fromJson("{\"name\":\"web\",\"id\":\"a/b\",\"address\":\"h\",\"port\":1}"
                        .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anIdMustBeOneZnodeName() {
        assertThrows(IllegalArgumentException.class, () -> ServiceInstance.of("web", "a/b", "h", 1));
        assertThrows(IllegalArgumentException.class, () -> ServiceInstance.of("", "a", "h", 1));
        assertThrows(IllegalArgumentException.class, () -> ServiceInstance.of("web", "a", "h", 1).withLoad(Double.NaN));
    }
}
