#!/usr/bin/env bash
# Where a small flow's time goes, DJL vs PyTorch: the engines' fixed cost per operation
# (OpCostBenchmark vs peer/op_costs.py: a chain of elementwise products without a graph,
# recording one, and recording + backward) and the split of a training step into its forward
# (FlowBenchmark.trainForward vs the peer's train_forward case), its Adam update
# (FlowBenchmark.update vs update) and the rest, the backward pass.
#
# Usage: flows-bench/run-op-costs.sh [out-dir]
#   env: THREADS (default 1), ROUNDS (default 2, DJL and PyTorch alternately), COLS (columns of
#        the chained arrays, default "1 64"; 256 rows, 64 products), FAMILIES_OVERRIDE (default
#        "realnvp maf"), DIM (default 2), BATCH (default 256), DEPTH (default 8).
# Both sides report their best (DJL's best 1-second JMH iteration, PyTorch's best window).
# About 6 minutes with the defaults. Needs flows-bench/target/benchmarks.jar and /usr/bin/python3
# with torch (Debian python3-torch). Builds nothing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/benchmarks.jar"
out="${1:-$here/target/op-costs}"
threads="${THREADS:-1}"
rounds="${ROUNDS:-2}"
cols="${COLS:-1 64}"
families="${FAMILIES_OVERRIDE:-realnvp maf}"
dim="${DIM:-2}"
batch="${BATCH:-256}"
depth="${DEPTH:-8}"
python="${PYTHON:-/usr/bin/python3}"

# shellcheck source=bench-common.sh
source "$here/bench-common.sh"
start_run "$jar" "$out"
# see run-comparison.sh: DJL's thread setting binds one thread only; Debian's OpenBLAS ignores OMP
export OMP_NUM_THREADS="$threads"
export OPENBLAS_NUM_THREADS="${PEER_BLAS_THREADS:-1}"
jvm="-Dai.djl.offline=true -Xmx4g -Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=1"

for round in $(seq "$rounds"); do
  java -jar "$jar" 'OpCostBenchmark' -p cols="${cols// /,}" -f 1 -wi 2 -i 5 -jvmArgsAppend "$jvm" \
    -rf json -rff "$out/djl-ops-$round.json" > "$out/djl-ops-$round.log" 2>&1 \
    || { tail -40 "$out/djl-ops-$round.log" >&2; exit 1; }
  java -jar "$jar" 'FlowBenchmark\.(trainForward|update|trainStep)$' -p family="${families// /,}" \
    -p dim="$dim" -p batch="$batch" -p depth="$depth" -f 1 -wi 3 -i 5 -jvmArgsAppend "$jvm" \
    -rf json -rff "$out/djl-step-$round.json" > "$out/djl-step-$round.log" 2>&1 \
    || { tail -40 "$out/djl-step-$round.log" >&2; exit 1; }
  for c in $cols; do
    "$python" "$here/peer/op_costs.py" --cols "$c" --threads "$threads" --json "$out/torch-ops-$c-$round.json"
  done
  for family in $families; do
    "$python" "$here/peer/torch_flows.py" --family "$family" --dim "$dim" --batch "$batch" \
      --depth "$depth" --threads "$threads" --cases train_forward,update,train --warmup-s 2 \
      --measure-s 5 --json "$out/torch-step-$family-$round.json"
  done
done

echo "load after:  $(uptime)" | tee -a "$out/load.txt"

"$python" - "$out" "$threads" "$rounds" <<'PY' | tee "$out/table.txt"
import glob, json, os, sys
out, threads, rounds = sys.argv[1], sys.argv[2], sys.argv[3]

def best(table, key, value):
    table[key] = max(table.get(key, 0.0), value)

def jmh_best(r):
    return max(v for fork in r["primaryMetric"]["rawData"] for v in fork)

# chains per second, per (cols, case)
METHODS = {"forward": "forward", "record": "record", "recordBackward": "record_backward"}
djl_ops, py_ops, ops_per_chain, version = {}, {}, None, "?"
for f in glob.glob(os.path.join(out, "djl-ops-*.json")):
    for r in json.load(open(f)):
        p = r["params"]
        ops_per_chain = int(p["ops"])
        best(djl_ops, (int(p["cols"]), METHODS[r["benchmark"].rsplit(".", 1)[1]]), jmh_best(r))
for f in glob.glob(os.path.join(out, "torch-ops-*.json")):
    for r in json.load(open(f)):
        best(py_ops, (r["cols"], r["case"]), r["chains_per_s"])
        version = r["torch"]

print(f"threads={threads}  torch {version}  best over {rounds} round(s)")
print(f"Per operation, microseconds ({ops_per_chain} products y = y * c on (256, cols) float32):")
head = f"{'cols':>5}  {'what':<28}{'DJL':>9}{'PyTorch':>9}{'DJL/PyTorch':>13}"
print(head)
print("-" * len(head))
def us(rate):
    return 1e6 / (rate * ops_per_chain)
for c in sorted({k[0] for k in djl_ops}):
    rows = []
    for case, label in (("forward", "forward, no graph"), ("record", "forward, recording")):
        d, t = djl_ops.get((c, case)), py_ops.get((c, case))
        if d and t:
            rows.append((label, us(d), us(t)))
    d_rb, d_rec = djl_ops.get((c, "record_backward")), djl_ops.get((c, "record"))
    t_rb, t_rec = py_ops.get((c, "record_backward")), py_ops.get((c, "record"))
    if d_rb and d_rec and t_rb and t_rec:
        rows.append(("backward, per node", us(d_rb) - us(d_rec), us(t_rb) - us(t_rec)))
    for label, d, t in rows:
        print(f"{c:>5}  {label:<28}{d:9.2f}{t:9.2f}{d / t:13.2f}")

# batches per second of the step and its forward half
djl_step, py_step = {}, {}
STEP = {"trainForward": "train_forward", "update": "update", "trainStep": "train"}
for f in glob.glob(os.path.join(out, "djl-step-*.json")):
    for r in json.load(open(f)):
        p = r["params"]
        key = (p["family"], int(p["dim"]), int(p["batch"]), STEP[r["benchmark"].rsplit(".", 1)[1]])
        best(djl_step, key, jmh_best(r))
for f in glob.glob(os.path.join(out, "torch-step-*.json")):
    for r in json.load(open(f)):
        best(py_step, (r["family"], r["dim"], r["batch"], r["case"]), r["samples_per_s"] / r["batch"])
print()
print("Training step, milliseconds (best of each part; backward = whole step - forward - update):")
head = f"{'case':<24}{'part':<14}{'DJL':>9}{'PyTorch':>9}{'DJL/PyTorch':>13}"
print(head)
print("-" * len(head))
PARTS = ("train_forward", "update", "train")
for family, d, b in sorted({k[:3] for k in djl_step}):
    got = [djl_step.get((family, d, b, c)) for c in PARTS]
    ref = [py_step.get((family, d, b, c)) for c in PARTS]
    if not all(got) or not all(ref):
        continue
    ms = lambda rates: [1e3 / r for r in rates]
    (df, du, ds), (pf, pu, ps) = ms(got), ms(ref)
    parts = [("forward", df, pf), ("backward", ds - df - du, ps - pf - pu), ("update", du, pu),
             ("whole step", ds, ps)]
    for part, dj, py in parts:
        print(f"{family + f' d={d} b={b}':<24}{part:<14}{dj:9.3f}{py:9.3f}{dj / py:13.2f}")
PY
