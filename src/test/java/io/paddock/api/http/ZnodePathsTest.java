package io.paddock.api.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ZnodePathsTest {

    @Test
    void anEmptyRestOrASlashIsTheRoot() {
        assertEquals("/", ZnodePaths.fromUrl(""));
        assertEquals("/", ZnodePaths.fromUrl("/"));
    }

    @Test
    void pathsPassThroughUnchangedApartFromDecoding() {
        assertEquals("/a/b", ZnodePaths.fromUrl("/a/b"));
        assertEquals("/a/", ZnodePaths.fromUrl("/a/"));
        assertEquals("/a//b", ZnodePaths.fromUrl("/a//b"));
        assertEquals("/a/./b", ZnodePaths.fromUrl("/a/./b"));
        assertEquals("/a b/100%/c+d", ZnodePaths.fromUrl("/a%20b/100%25/c+d"));
        assertEquals("/\u00e9\u6f22\ud83d\ude00", ZnodePaths.fromUrl("/%C3%A9%E6%BC%A2%F0%9F%98%80"));
        assertEquals("/\u0000", ZnodePaths.fromUrl("/%00"));
    }

    @Test
    void badPercentEncodingAndEncodedSlashesAreRefused() {
        assertThrows(ApiException.class, () -> ZnodePaths.fromUrl("/a%2Fb"));
        assertThrows(ApiException.class, () -> ZnodePaths.fromUrl("/a%2fb"));
        assertThrows(ApiException.class, () -> ZnodePaths.fromUrl("/a%zz"));
        assertThrows(ApiException.class, () -> ZnodePaths.fromUrl("/a%4"));
        assertThrows(ApiException.class, () -> ZnodePaths.fromUrl("/%FF"));
    }

    @Test
    void theRawTargetLosesPrefixQueryAndFragmentOnly() {
        assertEquals("/a/./b", ZnodePaths.rawRest("/v1/znodes/a/./b?watch=true#x", "/v1/znodes"));
        assertEquals("", ZnodePaths.rawRest("/v1/znodes?x", "/v1/znodes"));
        assertEquals("/", ZnodePaths.rawRest("/v1/znodes/", "/v1/znodes"));
        assertEquals("/a%20b", ZnodePaths.rawRest("http://h:80/v1/znodes/a%20b", "/v1/znodes"));
        assertThrows(ApiException.class, () -> ZnodePaths.rawRest("/v1/./znodes/a", "/v1/znodes"));
        assertThrows(ApiException.class, () -> ZnodePaths.rawRest("/v1/znodesx", "/v1/znodes"));
    }

    @Test
    void ancestorsAreListedOutermostFirstWithoutTheRoot() {
        assertEquals(List.of("/a", "/a/b"), ZnodePaths.ancestors("/a/b/c"));
        assertEquals(List.of(), ZnodePaths.ancestors("/a"));
        assertEquals(List.of("/a"), ZnodePaths.ancestors("/a/"));
        assertEquals(List.of(), ZnodePaths.ancestors("/"));
        assertEquals("/", ZnodePaths.parent("/a"));
        assertNull(ZnodePaths.parent("/"));
    }
}
