#!/usr/bin/env bash
# Scale-out against what the machine allows, measured in one run:
#   1. the machine: one-thread dgemm 2048 in one process, then in two processes at once
#      (scaling = the two rates summed / the single rate);
#   2. the sweep: jobs/scale-40.yaml on local[1] and local[2], alternating, PAIRS pairs, each into
#      a fresh OUT; the ratio of the sweep times (as the run prints them) pair by pair.
# Usage: worker-lib/bench/scale-out.sh [PAIRS]   (default 2; about 2 minutes a pair here)
set -euo pipefail
cd "$(dirname "$0")/../.."
pairs="${1:-2}"
mvn -B -q -DskipTests install -pl driver -am >/dev/null
mvn -B -q -pl worker-lib test-compile >/dev/null
cp="worker-lib/target/test-classes:worker-lib/target/classes:$(cat driver/target/classpath.txt)"
flags="--add-modules=jdk.incubator.vector,jdk.incubator.foreign --enable-native-access=ALL-UNNAMED"
gemm() { OPENBLAS_NUM_THREADS=1 java $flags -cp "$cp" org.widthlaw.lib.bench.GemmRate 2048 20 2>/dev/null | grep '^dgemm'; }
rate() { sed -E 's/.*: ([0-9.]+) GFLOP.*/\1/'; }

one=$(gemm | rate)
gemm >/tmp/scale-out-a.txt & gemm >/tmp/scale-out-b.txt & wait
a=$(rate </tmp/scale-out-a.txt); b=$(rate </tmp/scale-out-b.txt)
machine=$(echo "($a + $b) / $one" | bc -l)
printf 'machine: dgemm 2048 one thread: one process %.1f GFLOP/s; two at once %.1f + %.1f: scaling %.2fx\n' "$one" "$a" "$b" "$machine"

secs() { # the sweep's time as the run's "done:" line prints it (XmYs or Ys)
  grep -o 'done: .*' "$1" | grep -oE ', [0-9hms]+ \(training' | sed -E 's/, (.*) \(training/\1/' |
    awk '{t=0; s=$0; if (match(s,/[0-9]+h/)) t+=3600*substr(s,RSTART,RLENGTH-1); if (match(s,/[0-9]+m/)) t+=60*substr(s,RSTART,RLENGTH-1); if (match(s,/[0-9]+s/)) t+=substr(s,RSTART,RLENGTH-1); print t}'
}
for i in $(seq 1 "$pairs"); do
  for k in 1 2; do
    out="/tmp/scale-out-$k"
    rm -rf "$out"
    ./widthlaw run jobs/scale-40.yaml --master "local[$k]" --out "$out" >"/tmp/scale-out-$k.log" 2>&1
    eval "t$k=\$(secs /tmp/scale-out-$k.log)"
  done
  printf 'pair %d: sweep local[1] %s s, local[2] %s s: %.2fx (target >= 0.9 x %.2f = %.2f)\n' \
    "$i" "$t1" "$t2" "$(echo "$t1 / $t2" | bc -l)" "$machine" "$(echo "0.9 * $machine" | bc -l)"
done
