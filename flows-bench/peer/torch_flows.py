#!/usr/bin/python3
"""PyTorch peer of flows-bench: the same flows as BenchModels.java, timed the same way.

Each family mirrors one factory of io.github.djlflows.bench.BenchModels, layer for layer. The
flows live in the package peerflows next to this script, one module per family; each module's
docstring says precisely how its family mirrors flows-core:

realnvp  peerflows/realnvp.py         `depth` affine couplings (RealNvp.builder())
maf      peerflows/autoregressive.py  `depth` MaskedAutoregressiveFlow layers (Maf.builder())
iaf      peerflows/autoregressive.py  `depth` InverseAutoregressiveFlow layers (Iaf.builder())
nsf      peerflows/spline.py          `depth` RationalQuadraticCouplings (Nsf.builder())
glow     peerflows/glow.py            Glow.builder() on (1, 28, 28) images (--dim is ignored)

and their shared blocks in peerflows/flow.py (FlowSequence, NormalizingFlow, ReversePermutation)
and peerflows/coupling.py (MLP conditioner, AffineBijection, CouplingFlow: the conditioner
reads the kept half and writes the transformed half's parameters). This script is the command line: it builds a family, times the cases and writes
the results as JSON.

Not mirrored (DJL bookkeeping, not flow work): flows-core's per-call copies of parameters into
the batch's NDManager (Tensors.param) and InvertibleConv1x1's per-call constants (P, masks, I,
signs), which the peer holds as buffers. Initial values come from torch's generator, so they
differ from DJL's where those are random (hidden layers, the 1x1 convolutions' rotations);
zero layers, shapes and parameter counts are the same.

Cases (scores in samples per second = batch x steps per second):
  train    forward + NLL + backward + Adam step (+ loss.item(), as DJL's NLL reads the loss);
           torch.optim.Adam with its defaults (torch 1.13: the per-parameter loop, foreach off;
           --foreach turns on its multi-tensor path)
  train_forward  the forward half of train: forward + NLL recording the graph (+ loss.item()),
           which is dropped (FlowBenchmark.trainForward; not in the default --cases)
  update   the update half of train: adam.step() on the gradients of one train step
           (FlowBenchmark.update; not in the default --cases)
  logprob  log p(x) of a batch under torch.no_grad()
  sample   a batch of samples (base draw + inverse pass) under torch.no_grad()

Adding a family: one builder function (in its own module of peerflows) and one entry in FAMILIES.

--self-check checks every family in float64 (peerflows/selfcheck.py: inverses, log-dets against
the autograd Jacobian, natural couplings against the masked form they slice); it prints the
parameter counts at dims 2 and 64, depth 8, and exits non-zero on a failure.

Usage: /usr/bin/python3 torch_flows.py --dim 2 --batch 256 --threads 1 --json out.json
"""

import argparse
import json
import math
import sys
import time

import torch

from peerflows.autoregressive import iaf, maf
from peerflows.flow import parameter_count
from peerflows.glow import glow
from peerflows.realnvp import realnvp
from peerflows.selfcheck import self_check
from peerflows.spline import nsf

LEARNING_RATE = 1e-3


FAMILIES = {"realnvp": realnvp, "maf": maf, "iaf": iaf, "nsf": nsf, "glow": glow}


def time_case(step, batch, warmup_s, measure_s, windows):
    """Runs `step` for warmup_s, then times `windows` windows of measure_s / windows seconds each.

    Returns (best, mean) samples per second over the windows. The best window is the figure the
    runner compares (as it takes DJL's best JMH iteration): on a shared machine, interference
    only ever slows a window down.
    """
    end = time.perf_counter() + warmup_s
    while time.perf_counter() < end:
        step()
    rates = []
    for _ in range(windows):
        steps, start = 0, time.perf_counter()
        while True:
            step()
            steps += 1
            elapsed = time.perf_counter() - start
            if elapsed >= measure_s / windows:
                rates.append(steps * batch / elapsed)
                break
    return max(rates), sum(rates) / len(rates)


def write_results(results, path):
    """Writes the results as JSON to `path`, or to stdout when it is None."""
    text = json.dumps(results, indent=1)
    if path:
        with open(path, "w") as f:
            f.write(text)
    else:
        print(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--family", default="realnvp", choices=sorted(FAMILIES))
    ap.add_argument("--dim", type=int, default=2)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--depth", type=int, default=8)
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads (match DJL's)")
    ap.add_argument("--cases", default="train,logprob,sample")
    ap.add_argument("--warmup-s", type=float, default=1.0)
    ap.add_argument("--measure-s", type=float, default=3.0)
    ap.add_argument("--windows", type=int, default=5, help="timing windows; the best is reported")
    ap.add_argument("--json", help="write results here (else stdout)")
    ap.add_argument("--foreach", action="store_true", help="Adam's multi-tensor (foreach) path")
    ap.add_argument("--self-check", action="store_true",
                    help="float64 inverse and log-det checks of every family, parameter counts")
    args = ap.parse_args()
    if args.self_check:
        sys.exit(self_check(FAMILIES))

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(42)
    flow = FAMILIES[args.family](args.dim, args.depth)
    adam = torch.optim.Adam(flow.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8,
                            foreach=args.foreach or None)
    x = torch.randn(args.batch, *flow.event)

    def train():
        adam.zero_grad(set_to_none=False)
        loss = -flow.log_prob(x).mean()
        loss.backward()
        adam.step()
        if not math.isfinite(loss.item()):
            raise RuntimeError("non-finite loss")

    def train_forward():
        loss = -flow.log_prob(x).mean()
        if not math.isfinite(loss.item()):
            raise RuntimeError("non-finite loss")

    def update():
        adam.step()

    def logprob():
        with torch.no_grad():
            flow.log_prob(x)

    def sample():
        with torch.no_grad():
            flow.sample(args.batch)

    steps = {"train": train, "train_forward": train_forward, "update": update, "logprob": logprob,
             "sample": sample}
    results = []
    if "update" in args.cases.split(","):
        train()  # gradients for the update case
    for case in args.cases.split(","):
        rate, mean = time_case(steps[case], args.batch, args.warmup_s, args.measure_s, args.windows)
        results.append({
            "family": args.family, "case": case, "dim": args.dim, "batch": args.batch,
            "depth": args.depth, "threads": torch.get_num_threads(),
            "samples_per_s": rate, "mean_samples_per_s": mean, "torch": torch.__version__,
            "parameters": parameter_count(flow), 
        })
    write_results(results, args.json)


if __name__ == "__main__":
    main()
