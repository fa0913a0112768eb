package org.widthlaw.lib;

/** A count with its noun in the number it takes: "1 probe", "2 probes", "0 cells". */
public final class Plural {
    private Plural() {}

    /** {@code n} and the noun, with an s unless n is 1. */
    public static String of(long n, String noun) {
        return of(n, noun, noun + "s");
    }

    /** {@code n} and {@code one} or {@code many}. */
    public static String of(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
