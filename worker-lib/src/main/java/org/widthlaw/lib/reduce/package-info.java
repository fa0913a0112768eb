/**
 * From cell results to each group's law: grouping, per-n summaries, fits and the theory table beside them; pure
 * functions on plain lists.
 */
package org.widthlaw.lib.reduce;
