package org.widthlaw.lib.train;

/**
 * The version of the trainer's numerics: it changes whenever the numbers of a probe would (its
 * data, initialisation, step size, GD arithmetic or stopping), and the job hash covers it, so an
 * OUT made by other numerics is never resumed (docs/ARCHITECTURE.md, "Exactly once and resume").
 * NumericsTest pins the bits of a set of probes trained through a scalar reference BLAS (the same
 * on every machine): a change to the trainer's arithmetic fails it until this version is raised
 * and the bits are pinned again. What the native BLAS does on a given CPU is recorded per probe
 * (blas_library, blas_kernel, blas_threads), not versioned here.
 *
 * <ul>
 *   <li>1: the numbers up to version 0.1.0 at commit 701c5fb (no version was recorded then).
 *   <li>2: a batch issues each probe's first-layer products on its own columns, so a batched probe
 *       has the bits it gets alone.
 *   <li>3: the hot case (depth 2, ReLU, only W trained, one output, d at most 128) trains by the
 *       fused step (FusedStep): each pre-activation and each gradient entry is one chain of fused
 *       multiply-adds in a fixed order, the output sums s a_c relu(z_c) in lane chains; the same
 *       bits with or without the Vector API.
 * </ul>
 */
public final class Numerics {
    public static final int VERSION = 3;

    private Numerics() {}
}
