#!/usr/bin/env bash
# Side by side, in one run: one GD step of the two-layer ReLU net (float64, two threads) in
# widthlaw (./widthlaw train --json), numpy and PyTorch CPU, on the same shapes; prints the ratios.
# Installs Debian's python3-numpy and python3-torch when they are absent, and libopenblas0-pthread so
# that both run on OpenBLAS rather than the reference BLAS (needs root or sudo).
# Usage: worker-lib/bench/compare-step.sh [THREADS]      (default 2)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
threads=${1:-2}
py=/usr/bin/python3

if ! "$py" -c 'import numpy, torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "installing python3-numpy, python3-torch and libopenblas0-pthread ..." >&2
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq python3-numpy python3-torch libopenblas0-pthread >&2
fi

export OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
echo "threads=$threads OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset}"
echo "numpy and torch load: $("$py" -c 'import numpy, torch; print(" ".join(sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower()})))')"
"$root/widthlaw" train --n 10 --width 2 --steps 1 >/dev/null 2>&1   # build first if needed

printf '%-18s %12s %12s %12s %10s %10s\n' "n x d x m" "widthlaw ms" "numpy ms" "torch ms" "numpy/wl" "torch/wl"
for shape in "1000 10 100" "4000 100 1000" "8192 784 512"; do
  read -r n d m <<<"$shape"
  steps=$(( 2000000000 / (n * m * (d + 2)) )); [ "$steps" -lt 20 ] && steps=20; [ "$steps" -gt 2000 ] && steps=2000
  wl=$("$root/widthlaw" train --arch two-layer --n "$n" --d "$d" --width "$m" --steps "$steps" --tol 1e-12 \
        --lr 1e-3 --threads "$threads" --json 2>/dev/null | "$py" -c 'import json,sys; print(json.load(sys.stdin)["secs_per_step"])')
  np_=$("$py" "$here/step_reference.py" numpy "$n" "$d" "$m" "$steps" "$threads" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["secs_per_step"])')
  th=$("$py" "$here/step_reference.py" torch "$n" "$d" "$m" "$steps" "$threads" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["secs_per_step"])')
  "$py" - "$n" "$d" "$m" "$wl" "$np_" "$th" <<'PY'
import sys
n, d, m = sys.argv[1:4]
wl, np_, th = map(float, sys.argv[4:7])
print("%-18s %12.3f %12.3f %12.3f %9.2fx %9.2fx" % (f"{n}x{d}x{m}", wl * 1e3, np_ * 1e3, th * 1e3, np_ / wl, th / wl))
PY
done
