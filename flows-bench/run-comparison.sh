#!/usr/bin/env bash
# DJL Flows vs PyTorch: runs the JMH jar (selected cases) and the PyTorch peer
# (peer/torch_flows.py) on the same architectures and prints samples/s side by side.
#
# Usage: flows-bench/run-comparison.sh [out-dir]
#   env: THREADS (torch intra-op threads for both sides, default 1), DIMS (default "2 64"),
#        BATCH (default 256), DEPTH (default 8), WARMUP / ITERS (JMH 1-second warm-up and
#        measurement iterations, default 3 / 5: DJL's Java side needs a few seconds of JIT),
#        MEASURE_S (PyTorch seconds per case, default 5, in 5 windows), LIMIT=0 to skip the
#        nets-only limit, ROUNDS (default 2: DJL and PyTorch run alternately this many times),
#        OPTIMIZER (DJL's: fused = flows-core FusedAdam (default), djl = DJL's Adam),
#        FAMILIES_OVERRIDE (space-separated families to run instead of all of FAMILIES below,
#        e.g. "iaf nsf"), PEER_BLAS_THREADS (OpenBLAS threads of the peer, default 1: see below).
# Image families (glow: 1x28x28, its dim is ignored) run at the first of DIMS only and have no
# nets-only limit ('-' in that column).
#   SETTINGS=best: each side at its best setting instead of THREADS (see run_best below): PyTorch
#        at 1 and 2 intra-op threads, DJL at 1 thread, 2 intra-op threads and 2 data-parallel
#        workers (DataParallelScaling, the three alternating in one JVM); the table names each
#        side's best setting and is written to <out>/<date>-djl-vs-pytorch-best-setting-b<batch>.txt.
# Both sides report their best: DJL's best 1-second JMH iteration, PyTorch's best window, over all
# rounds. On a shared VM, interference only slows a run down, and it comes and goes within
# minutes, so single averages taken minutes apart differ by up to 30% here.
# Needs flows-bench/target/benchmarks.jar (build: mvn -B -q -pl flows-bench -am package -DskipTests)
# and /usr/bin/python3 with torch (Debian python3-torch). Builds nothing.
set -euo pipefail

# Flow families to compare: adding one is adding its name here (plus its factory in
# BenchModels.java and its builder in peer/peerflows/, registered in peer/torch_flows.py).
FAMILIES=(
  realnvp
  maf
  iaf
  nsf
  glow
)
# Families whose data are images: no dim, no nets-only limit (BenchModels.conditioners).
IMAGE_FAMILIES=(glow)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/benchmarks.jar"
out="${1:-$here/target/comparison}"
threads="${THREADS:-1}"
dims="${DIMS:-2 64}"
batch="${BATCH:-256}"
depth="${DEPTH:-8}"
warmup="${WARMUP:-3}"
iters="${ITERS:-5}"
measure_s="${MEASURE_S:-5}"
limit="${LIMIT:-1}"
rounds="${ROUNDS:-2}"
optimizer="${OPTIMIZER:-fused}"
python="${PYTHON:-/usr/bin/python3}"

# shellcheck source=bench-common.sh
source "$here/bench-common.sh"
start_run "$jar" "$out"
export OMP_NUM_THREADS="$threads"
# Debian's torch calls OpenBLAS (pthreads build), which starts its own threads, one per core,
# whatever OMP_NUM_THREADS says: at THREADS=1 the peer's large matrix products would run on two
# cores, and at THREADS=2 OpenBLAS's threads and torch's OpenMP threads fight over the cores
# (RealNVP D=784, batch 1024, training: 3.9k samples/s, 8.1k with OpenBLAS on one thread).
# So the peer's BLAS runs on one thread: at THREADS=1 that is what one thread means; at THREADS=2
# it is the peer's best setting measured here (two BLAS threads with OMP_WAIT_POLICY=passive: 6.2k).
export OPENBLAS_NUM_THREADS="${PEER_BLAS_THREADS:-1}"
read -r -a families <<< "${FAMILIES_OVERRIDE:-${FAMILIES[*]}}"
vector=()
image=()
for family in "${families[@]}"; do
  if [[ " ${IMAGE_FAMILIES[*]} " == *" $family "* ]]; then image+=("$family"); else vector+=("$family"); fi
done
vector_csv="$(IFS=,; echo "${vector[*]}")"
image_csv="$(IFS=,; echo "${image[*]}")"
dims_csv="${dims// /,}"
first_dim="${dims%% *}"


# run_best: whole-machine samples/s of each side at its best setting, rounds alternating sides.
run_best() {
  local stamp files=()
  stamp="$(date -u +%F)"
  for round in $(seq "$rounds"); do
    for family in "${families[@]}"; do
      family_dims="$dims"
      if [[ " ${image[*]} " == *" $family "* ]]; then family_dims="$first_dim"; fi
      for dim in $family_dims; do
        f="$out/djl-best-$family-$dim-$round.jsonl"
        java -Dai.djl.offline=true -Xmx4g -Dai.djl.pytorch.num_interop_threads=1 -cp "$jar" \
          io.github.djlflows.bench.DataParallelScaling "$family" "$dim" "$batch" "$depth" \
          "${ITERS:-3}" "${WINDOW_S:-1.0}" 2>/dev/null | grep '^{' > "$f"
        files+=("$f")
        for t in 1 2; do
          f="$out/torch-best-$family-$dim-t$t-$round.json"
          OMP_NUM_THREADS=$t "$python" "$here/peer/torch_flows.py" --family "$family" --dim "$dim" \
            --batch "$batch" --depth "$depth" --threads "$t" --warmup-s 2 --measure-s "$measure_s" --json "$f"
          files+=("$f")
        done
      done
    done
  done
  echo "load after:  $(uptime)" | tee -a "$out/load.txt"
  "$python" - "$rounds" "${files[@]}" <<'PY' | tee "$out/$stamp-djl-vs-pytorch-best-setting-b$batch.txt"
import json, sys
rounds, files = sys.argv[1], sys.argv[2:]
djl, torch, version = {}, {}, "?"
def keep(table, key, setting, rate):
    if rate > table.get(key, (0, ""))[0]:
        table[key] = (rate, setting)
for f in files:
    if f.endswith(".jsonl"):
        for line in open(f):
            r = json.loads(line)
            key = (r["family"], r["dim"], r["batch"], r["depth"], r["case"])
            keep(djl, key, r["setting"], r["samples_per_s"])
    else:
        for r in json.load(open(f)):
            key = (r["family"], r["dim"], r["batch"], r["depth"], r["case"])
            keep(torch, key, f"{r['threads']}t", r["samples_per_s"])
            version = r["torch"]
print(f"each side at its best setting (DJL: 1t, 2i = 2 intra-op threads, 2w = 2 data-parallel workers;"
      f" PyTorch {version}: 1t, 2t), best whole-machine samples/s over {rounds} round(s)")
head = f"{'case':<30}{'DJL':>10}{'set':>5}{'PyTorch':>10}{'set':>5}{'DJL/PyTorch':>13}"
print(head)
print("-" * len(head))
for key in sorted(djl):
    family, dim, batch, depth, case = key
    d, ds = djl[key]
    t, ts = torch.get(key, (0, "-"))
    ratio = f"{d / t:13.2f}" if t else f"{'-':>13}"
    print(f"{family + ' ' + case + ' d=' + str(dim) + ' b=' + str(batch):<30}{d:10.0f}{ds:>5}{t:10.0f}{ts:>5}{ratio}")
PY
}

if [[ "${SETTINGS:-fixed}" == best ]]; then
  export OMP_NUM_THREADS=1 # the workers set their own intra-op threads
  run_best
  exit 0
fi

flow_pattern='FlowBenchmark\.(trainStep|logProb|sample)$'
limit_pattern='ConditionerLimitBenchmark\.(trainStep|forward)$'
djl_files=()
peer_files=()

# run_jmh <benchmark regex> <families, comma-separated> <dims, comma-separated> <json out>
run_jmh() {
  local log="${4%.json}.log"
  java -jar "$jar" "$1" \
    -p family="$2" -p dim="$3" -p batch="$batch" -p depth="$depth" \
    -p optimizer="$optimizer" -f 1 -wi "$warmup" -i "$iters" \
    -jvmArgsAppend "-Dai.djl.offline=true -Xmx4g -Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=1" \
    -rf json -rff "$4" > "$log" 2>&1 \
    || { tail -40 "$log" >&2; exit 1; }
  djl_files+=("$4")
}

for round in $(seq "$rounds"); do
  if [[ -n "$vector_csv" ]]; then
    run_jmh "$flow_pattern" "$vector_csv" "$dims_csv" "$out/djl-$round.json"
    if [[ "$limit" == 1 ]]; then
      run_jmh "$limit_pattern" "$vector_csv" "$dims_csv" "$out/djl-limit-$round.json"
    fi
  fi
  if [[ -n "$image_csv" ]]; then
    run_jmh "$flow_pattern" "$image_csv" "$first_dim" "$out/djl-image-$round.json"
  fi
  for family in "${families[@]}"; do
    family_dims="$dims"
    if [[ " ${image[*]} " == *" $family "* ]]; then family_dims="$first_dim"; fi
    for dim in $family_dims; do
      f="$out/torch-$family-$dim-$round.json"
      "$python" "$here/peer/torch_flows.py" --family "$family" --dim "$dim" --batch "$batch" \
        --depth "$depth" --threads "$threads" --warmup-s 2 --measure-s "$measure_s" --json "$f"
      peer_files+=("$f")
    done
  done
done

echo "load after:  $(uptime)" | tee -a "$out/load.txt"

"$python" - "$threads" "$optimizer" "$rounds" "${djl_files[*]}" "${peer_files[@]}" <<'PY' | tee "$out/table.txt"
import json, sys
threads, optimizer, rounds = sys.argv[1], sys.argv[2], sys.argv[3]
djl_files, peer_files = sys.argv[4].split(), sys.argv[5:]
# JMH method -> PyTorch case; the limit's counterpart of each case.
CASES = {"trainStep": "train", "logProb": "logprob", "sample": "sample"}
LIMIT = {"trainStep": "trainStep", "logProb": "forward", "sample": "forward"}
djl, lim = {}, {}
for djl_file in djl_files:
    for r in json.load(open(djl_file)):
        cls, method = r["benchmark"].rsplit(".", 2)[-2:]
        p = r["params"]
        key = (p["family"], int(p["dim"]), int(p["batch"]), int(p["depth"]), method)
        best = max(v for fork in r["primaryMetric"]["rawData"] for v in fork)
        table = djl if cls == "FlowBenchmark" else lim
        table[key] = max(table.get(key, 0), best * int(p["batch"]))
torch = {}
version = "?"
for f in peer_files:
    for r in json.load(open(f)):
        key = (r["family"], r["dim"], r["batch"], r["depth"], r["case"])
        torch[key] = max(torch.get(key, 0), r["samples_per_s"])
        version = r["torch"]
print(f"threads={threads}  DJL optimizer={optimizer}  torch {version}  best samples/s over {rounds} round(s)")
head = f"{'case':<34}{'DJL':>12}{'PyTorch':>12}{'DJL/PyTorch':>13}{'DJL nets-only':>15}"
print(head)
print("-" * len(head))
for key in sorted(djl):
    family, dim, batch, depth, method = key
    t = torch.get((family, dim, batch, depth, CASES[method]))
    l = lim.get((family, dim, batch, depth, LIMIT[method]))
    name = f"{family} {method} d={dim} b={batch} L={depth}"
    ratio = f"{djl[key] / t:13.2f}" if t else f"{'-':>13}"
    torch_s = f"{t:12.0f}" if t else f"{'-':>12}"
    limit_s = f"{l:15.0f}" if l else f"{'-':>15}"
    print(f"{name:<34}{djl[key]:12.0f}{torch_s}{ratio}{limit_s}")
PY
