/**
 * The narrow BLAS interface the trainer's products go through, the native OpenBLAS behind it (and its LAPACK), and
 * what the loaded library says of itself.
 */
package org.widthlaw.lib.blas;
