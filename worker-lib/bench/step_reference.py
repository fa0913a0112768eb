#!/usr/bin/python3
"""One GD step of the two-layer ReLU net (only W trained), float64, in numpy or PyTorch CPU.

The same arithmetic as widthlaw's step: Z = X W^T, H = s relu(Z), F = H a, R = F - y,
G = R a^T, D = s G (Z > 0), dW = D^T X, W -= lr dW, with s = m^-1/2. Prints one JSON line with
the mean seconds per step over `steps` steps after `warmup` steps. Usage:
step_reference.py numpy|torch N D M STEPS THREADS [float64|float32] (the precision for numpy only).
"""
import json
import sys
import time


def make_step(x, y, a, s, lr, relu):
    """The step, written once for numpy and torch arrays (relu is the library's max(z, 0))."""
    def step(w):
        z = x @ w.T
        h = s * relu(z)
        r = h @ a - y
        g = r @ a.T
        dz = s * g * (z > 0)
        return w - lr * (dz.T @ x)
    return step


def timed(step, w, steps, warmup):
    for _ in range(warmup):
        w = step(w)
    t0 = time.perf_counter()
    for _ in range(steps):
        w = step(w)
    return (time.perf_counter() - t0) / steps


def run_numpy(n, d, m, steps, warmup, dtype="float64"):
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y = rng.standard_normal((n, 1))
    w = rng.standard_normal((m, d))
    a = rng.choice([-1.0, 1.0], size=(m, 1))
    x, y, w, a = (v.astype(dtype) for v in (x, y, w, a))
    zero, s, lr = np.asarray(0, dtype), np.asarray(m ** -0.5, dtype), np.asarray(1e-3, dtype)
    step = make_step(x, y, a, s, lr, lambda z: np.maximum(z, zero))
    return timed(step, w, steps, warmup), np.__version__


def run_torch(n, d, m, steps, warmup, threads):
    import torch
    torch.set_num_threads(threads)
    g0 = torch.Generator().manual_seed(0)
    x = torch.randn(n, d, generator=g0, dtype=torch.float64)
    x /= x.norm(dim=1, keepdim=True)
    y = torch.randn(n, 1, generator=g0, dtype=torch.float64)
    w = torch.randn(m, d, generator=g0, dtype=torch.float64)
    a = torch.randint(0, 2, (m, 1), generator=g0).to(torch.float64) * 2 - 1
    step = make_step(x, y, a, m ** -0.5, 1e-3, lambda z: torch.clamp_min(z, 0.0))
    with torch.no_grad():
        return timed(step, w, steps, warmup), torch.__version__


if __name__ == "__main__":
    lib, n, d, m, steps, threads = sys.argv[1], *map(int, sys.argv[2:7])
    dtype = sys.argv[7] if len(sys.argv) > 7 else "float64"
    warmup = max(3, steps // 10)
    if lib == "numpy":
        secs, version = run_numpy(n, d, m, steps, warmup, dtype)
    else:
        secs, version = run_torch(n, d, m, steps, warmup, threads)
    print(json.dumps({"lib": lib, "version": version, "dtype": dtype, "n": n, "d": d, "m": m, "secs_per_step": secs}))
