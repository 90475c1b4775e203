#!/usr/bin/env bash
# Engine thread settings: runs FlowBenchmark (trainStep, logProb) for small and large models with
# 1 and 2 PyTorch intra-op threads (inter-op 1), alternately for ROUNDS rounds, and prints
# samples/s per thread count and the 2-thread / 1-thread ratio per case.
#
# Usage: flows-bench/run-threads.sh [out-dir]
#   env: THREAD_COUNTS (default "1 2"), ROUNDS (default 2), WARMUP / ITERS (JMH 1-second
#        iterations, default 2 / 3), FAMILIES_OVERRIDE (default "realnvp maf"; glow is added at
#        batch 64 unless NO_GLOW=1).
# Cases: dim 2 at batch 256 (small), dims 64 and 784 at batch 1024 (large), glow 1x28x28 at
# batch 64. Needs flows-bench/target/benchmarks.jar. Builds nothing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/benchmarks.jar"
out="${1:-$here/target/threads}"
counts="${THREAD_COUNTS:-1 2}"
rounds="${ROUNDS:-2}"
warmup="${WARMUP:-2}"
iters="${ITERS:-3}"
families="${FAMILIES_OVERRIDE:-realnvp maf}"
python="${PYTHON:-/usr/bin/python3}"

# shellcheck source=bench-common.sh
source "$here/bench-common.sh"
start_run "$jar" "$out"
families_csv="${families// /,}"
pattern='FlowBenchmark\.(trainStep|logProb)$'
files=()

# run_jmh <threads> <families> <dims> <batch> <json out>
run_jmh() {
  local log="${5%.json}.log"
  OMP_NUM_THREADS="$1" java -jar "$jar" "$pattern" \
    -p family="$2" -p dim="$3" -p batch="$4" -p depth=8 -f 1 -wi "$warmup" -i "$iters" \
    -jvmArgsAppend "-Dai.djl.offline=true -Xmx8g -Dai.djl.pytorch.num_threads=$1 -Dai.djl.pytorch.num_interop_threads=1" \
    -rf json -rff "$5" > "$log" 2>&1 \
    || { tail -40 "$log" >&2; exit 1; }
  files+=("$5")
}

for round in $(seq "$rounds"); do
  for threads in $counts; do
    tag="t$threads-r$round"
    run_jmh "$threads" "$families_csv" 2 256 "$out/small-$tag.json"
    run_jmh "$threads" "$families_csv" 64,784 1024 "$out/large-$tag.json"
    if [[ "${NO_GLOW:-0}" != 1 ]]; then
      run_jmh "$threads" glow 2 64 "$out/glow-$tag.json"
    fi
  done
done
echo "load after:  $(uptime)" | tee -a "$out/load.txt"

"$python" - "$rounds" "${files[@]}" <<'PY' | tee "$out/table.txt"
import json, re, sys
rounds, files = sys.argv[1], sys.argv[2:]
best = {}
for f in files:
    threads = int(re.search(r"-t(\d+)-r", f).group(1))
    for r in json.load(open(f)):
        p = r["params"]
        case = (p["family"], "-" if p["family"] == "glow" else int(p["dim"]), int(p["batch"]),
                r["benchmark"].rsplit(".", 1)[-1])
        score = max(v for fork in r["primaryMetric"]["rawData"] for v in fork) * int(p["batch"])
        best[(case, threads)] = max(best.get((case, threads), 0), score)
counts = sorted({t for _, t in best})
cases = sorted({c for c, _ in best}, key=lambda c: (c[0], str(c[1]), c[2], c[3]))
print(f"DJL samples/s, best 1-s JMH iteration over {rounds} round(s), depth 8, inter-op 1")
head = f"{'case':<36}" + "".join(f"{f'{t} thread(s)':>14}" for t in counts)
head += f"{f'{counts[-1]}/{counts[0]}':>8}" if len(counts) > 1 else ""
print(head)
print("-" * len(head))
for c in cases:
    family, dim, batch, method = c
    row = f"{f'{family} {method} d={dim} b={batch}':<36}"
    row += "".join(f"{best.get((c, t), 0):>14.0f}" for t in counts)
    if len(counts) > 1 and best.get((c, counts[0])):
        row += f"{best.get((c, counts[-1]), 0) / best[(c, counts[0])]:>8.2f}"
    print(row)
PY
