#!/usr/bin/python3
"""PyTorch peer of OpCostBenchmark: the fixed cost per operation of eager PyTorch.

A chain of `ops` elementwise products y = y * c on a (rows, cols) float32 tensor, every
intermediate kept alive until the chain ends (as DJL's step manager keeps them), timed three ways
as io.github.djlflows.bench.OpCostBenchmark:

  forward         no autograd graph (the input does not require a gradient)
  record          the input requires a gradient: every product records its backward node;
                  the graph is dropped
  record_backward the same, then backward through the chain (the gradient accumulates in the
                  input's .grad, as DJL's does)

Scores are chains per second, the best of the timing windows (torch_flows.time_case).

Usage: /usr/bin/python3 op_costs.py --cols 1 --threads 1 --json out.json
"""

import argparse

import torch

from torch_flows import time_case, write_results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=64)
    ap.add_argument("--rows", type=int, default=256)
    ap.add_argument("--cols", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup-s", type=float, default=1.0)
    ap.add_argument("--measure-s", type=float, default=3.0)
    ap.add_argument("--windows", type=int, default=5)
    ap.add_argument("--json", help="write results here (else stdout)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(42)

    x = torch.randn(args.rows, args.cols)
    tracked = x.clone().requires_grad_(True)
    factor = torch.tensor(1.0001)

    def chain(y):
        kept = []
        for _ in range(args.ops):
            y = y * factor
            kept.append(y)
        return y, kept

    def forward():
        with torch.no_grad():
            chain(x)

    def record():
        chain(tracked)

    def record_backward():
        y, _ = chain(tracked)
        y.sum().backward()

    cases = {"forward": forward, "record": record, "record_backward": record_backward}
    results = []
    for name, step in cases.items():
        # batch 1: time_case then counts calls (chains) per second
        rate, _ = time_case(step, 1, args.warmup_s, args.measure_s, args.windows)
        results.append({"case": name, "ops": args.ops, "rows": args.rows, "cols": args.cols,
                        "threads": torch.get_num_threads(), "chains_per_s": rate,
                        "torch": torch.__version__})
    write_results(results, args.json)


if __name__ == "__main__":
    main()
