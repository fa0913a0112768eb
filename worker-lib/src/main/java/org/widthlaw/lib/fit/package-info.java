/**
 * The scaling law P*(n) of one group (docs/METHOD.md section 6): least-squares linear, power and quadratic fits,
 * seeded bootstrap intervals, AIC and the verdict.
 */
package org.widthlaw.lib.fit;
