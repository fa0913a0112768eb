/**
 * The theorems' requirements (docs/METHOD.md section 7), the limiting kernels H-infinity and the deep fc Gram, and the
 * symmetric eigen-solver.
 */
package org.widthlaw.lib.theory;
