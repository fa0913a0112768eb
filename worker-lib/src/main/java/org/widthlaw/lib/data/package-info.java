/**
 * Data sets of a cell (docs/METHOD.md section 2): unit-sphere samples with random or teacher labels, Fashion-MNIST
 * from IDX files, and users' CSV files.
 */
package org.widthlaw.lib.data;
