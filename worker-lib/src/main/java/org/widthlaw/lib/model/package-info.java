/**
 * The network families (docs/METHOD.md section 3), their shared parameter layout, and the batched float64 and float32
 * forward, gradient and Jacobian products.
 */
package org.widthlaw.lib.model;
