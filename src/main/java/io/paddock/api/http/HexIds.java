package io.paddock.api.http;

/**
 * Session ids and zxids as the HTTP API shows them: "0x" and unsigned hex, the way ZooKeeper
 * prints them. Parsing also accepts decimal, for headers typed by hand.
 */
final class HexIds {

    private HexIds() {
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** Appends {@link #hex} of {@code value} to {@code sb} without making a string of it. */
    static StringBuilder appendHex(StringBuilder sb, long value) {
        sb.append("0x");
        int digits = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 3) / 4);
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            sb.append(Character.forDigit((int) (value >>> shift) & 0xf, 16));
        }
        return sb;
    }

    /**
     * Parses "0x…" hex (unsigned 64 bits) or decimal; {@code what} names the value in the error.
     *
     * @throws ApiException 400 when the text is neither
     */
    static long parse(String text, String what) {
        String t = text == null ? "" : text.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                String digits = t.substring(2);
                if (digits.isEmpty() || digits.length() > 16 || digits.startsWith("+") || digits.startsWith("-")) {
                    throw new NumberFormatException();
                }
                return Long.parseUnsignedLong(digits, 16);
            }
            if (t.isEmpty() || t.startsWith("+")) {
                throw new NumberFormatException();
            }
            // A session id above Long.MAX_VALUE printed as an unsigned decimal is still that id.
            return t.startsWith("-") ? Long.parseLong(t) : Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw ApiException.badInput(null, what + " must be \"0x\" and hex digits or a decimal number, not \""
                    + ApiException.clip(text) + "\"");
        }
    }

    /** Parses a session id: as {@link #parse}, and never 0, which names no session. */
    static long parseSessionId(String text, String what) {
        long id = parse(text, what);
        if (id == 0) {
            throw ApiException.badInput(null, what + " 0x0 is not a session id");
        }
        return id;
    }
}
