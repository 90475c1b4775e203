#!/usr/bin/python3
"""PyTorch peer of flows-bench: the same flows as BenchModels.java, timed the same way.

Each family here mirrors one factory of io.github.djlflows.bench.BenchModels, layer for layer:

realnvp  `depth` affine couplings (flows-core CouplingFlow + AffineBijection, as RealNvp.builder()
         builds them): alternating HALF masks (the first ceil(D/2) features condition; odd layers
         invert the mask); conditioner MLP D -> 64 -> ReLU -> 64 -> ReLU -> 2D with a zero last
         layer; params reshaped to (batch, 2, D), shift = [:, 0], raw = [:, 1];
         s = 3 tanh(raw / 3); z = m x + (1 - m)(x exp(s) + t); log-det = sum((1 - m) s);
         standard-normal base; loss = -mean(log p(x)); Adam(lr 1e-3, betas 0.9/0.999, eps 1e-8).
         (DJL's Adam folds the bias corrections into the step size, so eps sits at a slightly
         different place than torch's; same work per step.)

Cases (scores in samples per second = batch x steps per second):
  train    forward + NLL + backward + Adam step (+ loss.item(), as DJL's NLL reads the loss)
  logprob  log p(x) of a batch under torch.no_grad()
  sample   a batch of samples (base draw + inverse pass) under torch.no_grad()

Adding a family: one builder function and one entry in FAMILIES.

Usage: /usr/bin/python3 torch_flows.py --dim 2 --batch 256 --threads 1 --json out.json
"""

import argparse
import json
import math
import time

import torch
from torch import nn

HIDDEN = (64, 64)
SCALE_BOUND = 3.0
LEARNING_RATE = 1e-3
LOG_2PI = math.log(2 * math.pi)


def mlp(inputs, outputs, hidden=HIDDEN):
    """Conditioners.mlp: Linear + ReLU hidden layers, zero-initialised last layer."""
    layers, width = [], inputs
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    last = nn.Linear(width, outputs)
    nn.init.zeros_(last.weight)
    nn.init.zeros_(last.bias)
    return nn.Sequential(*layers, last)


class AffineCoupling(nn.Module):
    """Mask-based affine coupling with a soft-clamped log-scale (CouplingFlow + AffineBijection)."""

    def __init__(self, dim, invert):
        super().__init__()
        m = (torch.arange(dim) < (dim + 1) // 2).float()
        self.register_buffer("mask", (1 - m if invert else m).unsqueeze(0))
        self.register_buffer("inv_mask", 1 - self.mask)
        self.net = mlp(dim, 2 * dim)

    def _params(self, kept):
        p = self.net(kept).reshape(kept.shape[0], 2, kept.shape[1])
        shift, raw = p[:, 0], p[:, 1]
        log_scale = torch.tanh(raw * (1.0 / SCALE_BOUND)) * SCALE_BOUND
        return shift, log_scale

    def forward(self, x):
        kept = x * self.mask
        shift, s = self._params(kept)
        y = x * torch.exp(s) + shift
        return kept + y * self.inv_mask, (s * self.inv_mask).sum(1)

    def inverse(self, z):
        kept = z * self.mask
        shift, s = self._params(kept)
        x = (z - shift) * torch.exp(-s)
        return kept + x * self.inv_mask, (-s * self.inv_mask).sum(1)


class Flow(nn.Module):
    """FlowSequence + StandardNormal base (NormalizingFlow)."""

    def __init__(self, layers, dim):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.dim = dim

    def log_prob(self, x):
        log_det = None
        for layer in self.layers:
            x, ld = layer(x)
            log_det = ld if log_det is None else log_det + ld
        log_pz = (x * x).sum(1) * -0.5 - 0.5 * self.dim * LOG_2PI
        return log_pz + log_det

    def sample(self, n):
        z = torch.randn(n, self.dim)
        for layer in reversed(self.layers):
            z, _ = layer.inverse(z)
        return z


def realnvp(dim, depth):
    return Flow([AffineCoupling(dim, i % 2 == 1) for i in range(depth)], dim)


FAMILIES = {"realnvp": realnvp}


def time_case(step, batch, warmup_s, measure_s):
    """Runs `step` for warmup_s, then counts steps for measure_s; returns samples per second."""
    end = time.perf_counter() + warmup_s
    while time.perf_counter() < end:
        step()
    steps, start = 0, time.perf_counter()
    while True:
        step()
        steps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= measure_s:
            return steps * batch / elapsed


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
    ap.add_argument("--json", help="write results here (else stdout)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(42)
    flow = FAMILIES[args.family](args.dim, args.depth)
    adam = torch.optim.Adam(flow.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8)
    x = torch.randn(args.batch, args.dim)

    def train():
        adam.zero_grad(set_to_none=False)
        loss = -flow.log_prob(x).mean()
        loss.backward()
        adam.step()
        if not math.isfinite(loss.item()):
            raise RuntimeError("non-finite loss")

    def logprob():
        with torch.no_grad():
            flow.log_prob(x)

    def sample():
        with torch.no_grad():
            flow.sample(args.batch)

    steps = {"train": train, "logprob": logprob, "sample": sample}
    results = []
    for case in args.cases.split(","):
        rate = time_case(steps[case], args.batch, args.warmup_s, args.measure_s)
        results.append({
            "family": args.family, "case": case, "dim": args.dim, "batch": args.batch,
            "depth": args.depth, "threads": torch.get_num_threads(),
            "samples_per_s": rate, "torch": torch.__version__,
        })
    text = json.dumps(results, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
