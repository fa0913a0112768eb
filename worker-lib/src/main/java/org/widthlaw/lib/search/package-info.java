/** The width search of one cell (docs/METHOD.md section 5) as an immutable state machine: bracket, bisection, audit. */
package org.widthlaw.lib.search;
