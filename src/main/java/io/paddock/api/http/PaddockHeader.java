package io.paddock.api.http;

import akka.http.scaladsl.model.headers.CustomHeader;

import java.util.Locale;

/**
 * A response header of Paddock's own (Paddock-Zxid, Paddock-Stat). akka-http's RawHeader
 * lower-cases its name each time one is made; this takes the name from a {@link Name} made once.
 */
final class PaddockHeader extends CustomHeader {

    /** A header name with its lower-case form. */
    record Name(String name, String lowercase) {
        static Name of(String name) {
            return new Name(name, name.toLowerCase(Locale.ROOT));
        }
    }

    private final Name name;
    private final String value;

    PaddockHeader(Name name, String value) {
        this.name = name;
        this.value = value;
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
}
