#!/usr/bin/python3
"""The PyTorch peer's flow-over-bare-conditioners ratio, measured as SameJvmOverhead measures DJL's.

The peer's RealNVP (peerflows/realnvp.py) and its conditioner networks alone (ConditionerLimitBenchmark:
the same MLPs on the same kept halves, loss = the sum of each network's output mean, no bijection,
log-dets or base density) train with their own Adam in one process; their training steps alternate in
windows of 1.5 seconds after 3 warm-up rounds. Prints the best and median steps/s of each side,
best/best and the median of the per-round ratios (limit / flow), in SameJvmOverhead's words.

Usage: /usr/bin/python3 same_process_overhead.py --dim 64 --batch 1024 --rounds 10 --threads 1
"""

import argparse
import math
import time

import torch

from peerflows.coupling import mlp, split_sizes
from peerflows.realnvp import realnvp

WINDOW_S = 1.5
WARMUP_ROUNDS = 3
LEARNING_RATE = 1e-3


class Conditioners(torch.nn.Module):
    """BenchModels.conditioners("realnvp", ...): coupling i's MLP on its kept half (alternating)."""

    def __init__(self, dim, depth):
        super().__init__()
        self.first = (dim + 1) // 2
        self.nets = torch.nn.ModuleList()
        for i in range(depth):
            kept, transformed = split_sizes(dim, i % 2 == 1)
            self.nets.append(mlp(kept, 2 * transformed))

    def forward(self, x):
        a, b = x[:, :self.first], x[:, self.first:]
        loss = None
        for i, net in enumerate(self.nets):
            mean = net(b if i % 2 == 1 else a).mean()
            loss = mean if loss is None else loss + mean
        return loss


def rate(step):
    """Steps per second over one window."""
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < WINDOW_S:
        step()
        count += 1
    return count / (time.perf_counter() - start)


def trainer(module, loss_of, x):
    adam = torch.optim.Adam(module.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8)

    def step():
        adam.zero_grad(set_to_none=False)
        loss = loss_of(x)
        loss.backward()
        adam.step()
        if not math.isfinite(loss.item()):
            raise RuntimeError("non-finite loss")

    return step


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--depth", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(42)
    x = torch.randn(args.batch, args.dim)
    flow = realnvp(args.dim, args.depth)
    limit = Conditioners(args.dim, args.depth)
    steps = [trainer(flow, lambda v: -flow.log_prob(v).mean(), x), trainer(limit, limit, x)]
    flow_rates, limit_rates, ratios = [], [], []
    for round_ in range(-WARMUP_ROUNDS, args.rounds):
        f, c = rate(steps[0]), rate(steps[1])
        if round_ >= 0:
            flow_rates.append(f)
            limit_rates.append(c)
            ratios.append(c / f)
    flow_rates.sort()
    limit_rates.sort()
    ratios.sort()
    n = args.rounds
    print(f"torch {torch.__version__} realnvp d={args.dim} b={args.batch} threads={args.threads}, "
          f"{n} rounds of {WINDOW_S}-s windows: flow best {flow_rates[-1]:.1f} median "
          f"{flow_rates[n // 2]:.1f} steps/s; limit best {limit_rates[-1]:.1f} median "
          f"{limit_rates[n // 2]:.1f}; best/best {limit_rates[-1] / flow_rates[-1]:.3f}, median of "
          f"per-round ratios {ratios[n // 2]:.3f} (min {ratios[0]:.3f}, max {ratios[-1]:.3f})")


if __name__ == "__main__":
    main()
