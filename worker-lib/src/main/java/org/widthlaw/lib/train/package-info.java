/**
 * Full-batch gradient descent on batches of probes (docs/METHOD.md section 4): the probe spec that crosses to
 * executors, its result and its provenance.
 */
package org.widthlaw.lib.train;
