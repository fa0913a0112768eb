package org.widthlaw.lib;

/**
 * Small argument checks that return their argument, so records can validate inline. Every
 * message names the field, the bad value and what is allowed.
 */
public final class Checks {
    private Checks() {}

    /** Thrown for a value that breaks a documented constraint; {@link #field()} names it. */
    public static final class InvalidValue extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String field;

        public InvalidValue(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public static InvalidValue invalid(String field, String message) {
        return new InvalidValue(field, message);
    }

    public static int inRange(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw invalid(field, "must be an integer in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    public static double openUnit(double value, String field) {
        if (!(value > 0 && value < 1)) throw invalid(field, "must be a number in (0, 1), got " + value);
        return value;
    }

    public static double positive(double value, String field) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw invalid(field, "must be a finite number > 0, got " + value);
        }
        return value;
    }

    /**
     * A user's text as a message quotes it: in single quotes, on one line (line breaks shown as
     * {@code \n}), and cut to 60 characters, with its length, when longer.
     */
    public static String quote(String text) {
        String one = text.replace("\r", "\\r").replace("\n", "\\n");
        if (one.length() <= 60) return "'" + one + "'";
        return "'" + one.substring(0, 60) + "...' (" + text.length() + " characters)";
    }

    public static <T> T notNull(T value, String field) {
        if (value == null) throw invalid(field, "is required");
        return value;
    }
}
