package org.widthlaw.driver.plot;

/**
 * The Okabe-Ito colours (Okabe and Ito, "Color Universal Design", 2002), distinguishable under the
 * common forms of colour blindness; series take them in this order, and reference lines use grey.
 */
public final class Palette {
    private static final String[] COLOURS = {
        "#0072B2", // blue
        "#D55E00", // vermillion
        "#009E73", // bluish green
        "#CC79A7", // reddish purple
        "#E69F00", // orange
        "#56B4E9", // sky blue
        "#000000", // black
        "#F0E442", // yellow (last: weak on white)
    };

    /** The colour of reference lines (P = n, tolerances): not one of the series colours. */
    public static final String REFERENCE = "#666666";

    private Palette() {}

    /** The i-th colour, cycling; a negative index is the reference grey. */
    public static String colour(int i) {
        return i < 0 ? REFERENCE : COLOURS[i % COLOURS.length];
    }

    static int size() {
        return COLOURS.length;
    }
}
