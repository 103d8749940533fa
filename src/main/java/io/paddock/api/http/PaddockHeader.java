package io.paddock.api.http;

import akka.http.impl.util.Rendering;
import akka.http.scaladsl.model.HttpHeader;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A response header of Paddock's own (Paddock-Zxid, Paddock-Stat), its line made once as bytes.
 * akka-http renders a RawHeader's or a CustomHeader's value a character at a time, and
 * lower-cases a RawHeader's name each time one is made; the Stat header's compact JSON made those
 * a few percent of a raw read's cost. Values are ASCII (hex, digits and JSON punctuation).
 */
final class PaddockHeader extends HttpHeader {

    /** A header name with its lower-case form and its rendered prefix ("Name: "). */
    record Name(String name, String lowercase, byte[] prefix) {
        static Name of(String name) {
            return new Name(name, name.toLowerCase(Locale.ROOT), (name + ": ").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private final Name name;
    private final String value;
    /** "Name: value", without the line end the renderer adds. */
    private final byte[] line;

    PaddockHeader(Name name, String value) {
        this.name = name;
        this.value = value;
        byte[] prefix = name.prefix();
        byte[] text = value.getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = new byte[prefix.length + text.length];
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        System.arraycopy(text, 0, bytes, prefix.length, text.length);
        this.line = bytes;
    }

    @Override
    public String name() {
        return name.name();
    }

    @Override
    public String lowercaseName() {
        return name.lowercase();
    }

    @Override
    public String value() {
        return value;
    }

    @Override
    public boolean renderInRequests() {
        return false;
    }

    @Override
    public boolean renderInResponses() {
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R extends Rendering> R render(R r) {
        return (R) r.$tilde$tilde(line);
    }
}
