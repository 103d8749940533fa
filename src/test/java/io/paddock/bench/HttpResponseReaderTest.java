package io.paddock.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the lean client reads answers: framing by Content-Length or chunks, and failures that end the connection. */
class HttpResponseReaderTest {

    private static HttpResponseReader reader(String wire) {
        return new HttpResponseReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Hands out one byte per read, so that every line and body crosses reads. */
    private static HttpResponseReader trickling(String wire) {
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        InputStream in = new InputStream() {
            private int next;

            @Override
            public int read() {
                return next < bytes.length ? bytes[next++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (next >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[next++];
                return 1;
            }
        };
        return new HttpResponseReader(in);
    }

    @Test
    void contentLengthFramesTheBodySoPipelinedAnswersReadOneAfterAnother() throws IOException {
        String wire = "HTTP/1.1 200 OK\r\nPaddock-Zxid: 0x5\r\ncontent-length: 5\r\n\r\nhello"
                + "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{\"error\":\"NoNode\"}"
                + "HTTP/1.1 204 No Content\r\n\r\n";
        for (HttpResponseReader r : new HttpResponseReader[] {reader(wire), trickling(wire)}) {
            assertEquals(200, r.next());
            assertEquals("", r.errorBody());
            assertEquals(404, r.next());
            assertEquals("{\"error\":\"NoNode\"}", r.errorBody());
            assertEquals(204, r.next());
            assertFalse(r.closes());
            assertThrows(EOFException.class, r::next);
        }
    }

    @Test
    void chunkedBodiesAreSkippedChunkByChunkWithTheirTrailers() throws IOException {
        String wire = "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\nabcd\r\nA;ext=1\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        for (HttpResponseReader r : new HttpResponseReader[] {reader(wire), trickling(wire)}) {
            assertEquals(500, r.next());
            assertEquals("abcd0123456789", r.errorBody());
            assertEquals(200, r.next());
        }
    }

    @Test
    void aMalformedStatusLineFailsTheReadAtOnce() {
        assertThrows(HttpResponseReader.MalformedResponse.class, () -> reader("SSH-2.0-OpenSSH_9.6\r\n\r\n").next());
        assertThrows(HttpResponseReader.MalformedResponse.class, () -> reader("HTTP/1.1 2x0 OK\r\n\r\n").next());
        assertThrows(HttpResponseReader.MalformedResponse.class, () -> reader("HTTP/1.1 200OK\r\n\r\n").next());
        assertThrows(HttpResponseReader.MalformedResponse.class,
                () -> reader("HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n").next());
        assertThrows(HttpResponseReader.MalformedResponse.class,
                () -> reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").next());
    }

    @Test
    void aLineWithoutAnEndFailsOnceItPassesTheLimitInsteadOfGrowingForever() {
        String endless = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(HttpResponseReader.MAX_LINE + 10);
        assertThrows(HttpResponseReader.MalformedResponse.class, () -> reader(endless).next());
    }

    @Test
    void aConnectionThatClosesMidAnswerIsAnEndOfStream() {
        assertThrows(EOFException.class, () -> reader("").next());
        assertThrows(EOFException.class, () -> reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").next());
        assertThrows(EOFException.class, () -> reader("HTTP/1.1 200 OK\r\nContent-Le").next());
    }

    @Test
    void connectionCloseAndUnframedBodiesEndTheConnection() throws IOException {
        HttpResponseReader close = reader("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbad");
        assertEquals(400, close.next());
        assertTrue(close.closes());
        HttpResponseReader unframed = reader("HTTP/1.1 200 OK\r\n\r\nuntil the end");
        assertEquals(200, unframed.next());
        assertTrue(unframed.closes());
        HttpResponseReader http10 = reader("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertEquals(200, http10.next());
        assertTrue(http10.closes());
    }

    @Test
    void interimAnswersAreSkipped() throws IOException {
        HttpResponseReader r = reader("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}");
        assertEquals(201, r.next());
    }
}
