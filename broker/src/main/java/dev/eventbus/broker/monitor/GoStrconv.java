package dev.eventbus.broker.monitor;

/**
 * The parts of Go's {@code strconv} that decide which monitoring query values nats-server accepts, with its error
 * texts ({@code strconv.Atoi: parsing "x": invalid syntax}) since they end up verbatim in HTTP 400 bodies.
 */
final class GoStrconv {
    private GoStrconv() {}

    /** {@code strconv.ParseBool}. */
    static boolean parseBool(String s) {
        switch (s) {
            case "1": case "t": case "T": case "TRUE": case "true": case "True":
                return true;
            case "0": case "f": case "F": case "FALSE": case "false": case "False":
                return false;
            default:
                throw new NumberFormatException(syntax("ParseBool", s));
        }
    }

    /** {@code strconv.Atoi} on 64-bit Go: optional sign, decimal digits only, no underscores. */
    static long atoi(String s) {
        String digits = s;
        boolean neg = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            neg = s.charAt(0) == '-';
            digits = s.substring(1);
        }
        if (digits.isEmpty()) throw new NumberFormatException(syntax("Atoi", s));
        long magnitude;
        try {
            magnitude = parseUnsigned(digits);
        } catch (Overflow e) {
            throw new NumberFormatException(range("Atoi", s));
        } catch (NumberFormatException e) {
            throw new NumberFormatException(syntax("Atoi", s));
        }
        // the magnitude is an unsigned 64-bit value; only [0, 2^63] fits once the sign is applied
        if (neg) {
            if (Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0) throw new NumberFormatException(range("Atoi", s));
            return -magnitude;
        }
        if (magnitude < 0) throw new NumberFormatException(range("Atoi", s));
        return magnitude;
    }

    /** {@code strconv.ParseUint(s, 10, 64)}; the result is unsigned, so values above 2^63-1 come back negative. */
    static long parseUint64(String s) {
        try {
            return parseUnsigned(s);
        } catch (Overflow e) {
            throw new NumberFormatException(range("ParseUint", s));
        } catch (NumberFormatException e) {
            throw new NumberFormatException(syntax("ParseUint", s));
        }
    }

    /**
     * Go's digit loop: a non-digit is a syntax error unless the value overflowed first, which is then a range error
     * (so {@code "99999999999999999999x"} is out of range, not invalid).
     */
    private static long parseUnsigned(String s) {
        if (s.isEmpty()) throw new NumberFormatException();
        long n = 0;
        final long cutoff = Long.divideUnsigned(-1L, 10) + 1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new NumberFormatException();
            if (Long.compareUnsigned(n, cutoff) >= 0) throw new Overflow();
            n *= 10;
            long n1 = n + (c - '0');
            if (Long.compareUnsigned(n1, n) < 0) throw new Overflow();
            n = n1;
        }
        return n;
    }

    private static String syntax(String fn, String s) {
        return "strconv." + fn + ": parsing " + quote(s) + ": invalid syntax";
    }

    private static String range(String fn, String s) {
        return "strconv." + fn + ": parsing " + quote(s) + ": value out of range";
    }

    /** Go's {@code strconv.Quote}: printable characters as they are, the rest as Go escapes. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"': b.append("\\\""); continue;
                case '\\': b.append("\\\\"); continue;
                case 0x07: b.append("\\a"); continue;
                case '\b': b.append("\\b"); continue;
                case '\f': b.append("\\f"); continue;
                case '\n': b.append("\\n"); continue;
                case '\r': b.append("\\r"); continue;
                case '\t': b.append("\\t"); continue;
                case 0x0b: b.append("\\v"); continue;
                default: break;
            }
            if (isPrint(cp)) b.appendCodePoint(cp);
            else if (cp < ' ' || cp == 0x7f) b.append(String.format("\\x%02x", cp));
            else if (Character.isSurrogate((char) cp)) b.append("\\ufffd"); // unpaired: invalid UTF-8 to Go
            else if (cp < 0x10000) b.append(String.format("\\u%04x", cp));
            else b.append(String.format("\\U%08x", cp));
        }
        return b.append('"').toString();
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrint(int cp) {
        if (cp == ' ') return true;
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER: case Character.LOWERCASE_LETTER: case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER: case Character.OTHER_LETTER:
            case Character.NON_SPACING_MARK: case Character.ENCLOSING_MARK: case Character.COMBINING_SPACING_MARK:
            case Character.DECIMAL_DIGIT_NUMBER: case Character.LETTER_NUMBER: case Character.OTHER_NUMBER:
            case Character.CONNECTOR_PUNCTUATION: case Character.DASH_PUNCTUATION: case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION: case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION: case Character.OTHER_PUNCTUATION:
            case Character.MATH_SYMBOL: case Character.CURRENCY_SYMBOL: case Character.MODIFIER_SYMBOL:
            case Character.OTHER_SYMBOL:
                return true;
            default:
                return false;
        }
    }

    /** Internal signal that the digits overflowed 64 bits; never escapes this class. */
    private static final class Overflow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Overflow() { super(null, null, false, false); }
    }
}
