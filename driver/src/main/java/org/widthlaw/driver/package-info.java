/**
 * The Spark application: the command line, job parsing and planning, the scheduling policy and the Spark runner, the
 * results store and its table codecs, the law's files and the report (docs/ARCHITECTURE.md).
 */
package org.widthlaw.driver;
