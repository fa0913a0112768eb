/**
 * The science of widthlaw in plain Java, with no Spark: shared helpers (seeds, checks, Gaussian draws, named
 * categories, the time bound on diagnostics, the build's version).
 */
package org.widthlaw.lib;
