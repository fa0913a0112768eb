#!/usr/bin/env bash
# The training step of the hot case (two-layer ReLU, only W trained, k = 1) at the sweep shapes
# (n, d, m) = (400, 10, 100) and (1600, 10, 400), one thread each, measured in one run:
#   1. the machine's one-thread dgemm rate on a square 2048 product (GemmRate);
#   2. widthlaw's step by the fused path and by the BLAS path, float64 and float32 (JMH, HotStepBench);
#   3. the same step in numpy (step_reference.py), float64 and float32, on OpenBLAS with one thread.
# Prints per case: ms per step, numpy / widthlaw, and GFLOP/s as a fraction of the dgemm rate.
# Usage: worker-lib/bench/hot-step.sh          (about 3 minutes)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
py=${PYTHON:-python3}   # numpy 2.x here comes from the pyenv python; Debian's is older
"$py" -c 'import numpy' 2>/dev/null || { echo "hot-step: needs numpy for $py (set PYTHON to one that has it)" >&2; exit 2; }
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
mvn -B -q -DskipTests install -pl driver -am >/dev/null
mvn -B -q -pl worker-lib test-compile >/dev/null
cp="worker-lib/target/test-classes:worker-lib/target/classes:$(cat driver/target/classpath.txt)"
flags="--add-modules=jdk.incubator.vector,jdk.incubator.foreign --enable-native-access=ALL-UNNAMED"
gemm=$(java $flags -cp "$cp" org.widthlaw.lib.bench.GemmRate 2048 10 2>/dev/null | grep '^dgemm')
rate=$(sed -E 's/.*: ([0-9.]+) GFLOP.*/\1/' <<<"$gemm")
echo "$gemm; numpy $("$py" -c "import numpy; print(numpy.__version__)")"
mvn -B -q -pl worker-lib -Pbench exec:exec -Dbench.main=org.widthlaw.lib.bench.HotStepBench | grep '^hot ' >/tmp/hot-step.txt
printf '%-12s %-8s %11s %11s %11s %9s %9s %8s\n' "n x d x m" precision "fused ms" "BLAS ms" "numpy ms" "np/fused" "GFLOP/s" "of dgemm"
for shape in 400x10x100 1600x10x400; do
  IFS=x read -r n d m <<<"$shape"
  steps=$(( 400000000 / (n * m * d) ))
  for p in float64 float32; do
    fused=$(awk -v s="$shape" -v p="$p" '$2==s && $3==p && $4=="fused" {print $5, $6}' /tmp/hot-step.txt)
    blas=$(awk -v s="$shape" -v p="$p" '$2==s && $3==p && $4=="blas" {print $5}' /tmp/hot-step.txt)
    np_=$("$py" "$here/step_reference.py" numpy "$n" "$d" "$m" "$steps" 1 "$p" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["secs_per_step"] * 1e3)')
    read -r fms gf <<<"$fused"
    printf '%-12s %-8s %11.4f %11.4f %11.4f %8.2fx %9.1f %8.2f\n' "$shape" "$p" "$fms" "$blas" "$np_" \
      "$(echo "$np_ / $fms" | bc -l)" "$gf" "$(echo "$gf / $rate" | bc -l)"
  done
done
