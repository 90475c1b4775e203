#!/usr/bin/python3
"""PyTorch peer of flows-bench: the same flows as BenchModels.java, timed the same way.

Each family here mirrors one factory of io.github.djlflows.bench.BenchModels, layer for layer:

realnvp  `depth` affine couplings (flows-core CouplingFlow + AffineBijection, as RealNvp.builder()
         builds them): alternating HALF masks (the first ceil(D/2) features condition; odd layers
         invert the mask); conditioner MLP D -> 64 -> ReLU -> 64 -> ReLU -> 2D with a zero last
         layer; params reshaped to (batch, 2, D), shift = [:, 0], raw = [:, 1], both taken on the
         transformed block only; s = 3 tanh(raw / 3); z = concat(kept block, x exp(s) + t in the
         transformed block); log-det = sum(s);
         standard-normal base; loss = -mean(log p(x)); Adam(lr 1e-3, betas 0.9/0.999, eps 1e-8).
         (DJL's Adam folds the bias corrections into the step size, so eps sits at a slightly
         different place than torch's; same work per step.)

maf      `depth` MaskedAutoregressiveFlow layers (flows-core Maf.builder(): MADE + AffineBijection),
         a flip of the features between consecutive layers (ReversePermutation, log-det 0).
         MADE as flows-core's: natural order, input degrees 1..D, hidden unit j of each layer
         degree j % (D - 1) + 1 (0 when D = 1); hidden masks keep degree(unit) >= degree(input),
         the output mask degree(feature) > degree(unit); masked linear = x (W * M)^T + b with
         the mask multiplied in on every call; hidden widths 64, 64 with ReLU; zero output layer
         of 2D units, parameter-major: reshape (batch, 2, D), shift = [:, 0], raw = [:, 1];
         s = 3 tanh(raw / 3). Density: z = x exp(s) + t, one MADE pass per layer. Sampling:
         D MADE passes per layer, pass k fixing feature k through a one-hot blend
         x <- x + (x_k' - x) e_k, as flows-core's AutoregressiveFlow does.

Cases (scores in samples per second = batch x steps per second):
  train    forward + NLL + backward + Adam step (+ loss.item(), as DJL's NLL reads the loss);
           torch.optim.Adam with its defaults (torch 1.13: the per-parameter loop, foreach off;
           --foreach turns on its multi-tensor path)
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
    """Mask-input affine coupling with a soft-clamped log-scale (CouplingFlow + AffineBijection).

    As flows-core's HALF-mask path: the conditioner sees the masked full-width input, and the
    affine map runs on the transformed block only, joined to the kept block by a concatenation.
    """

    def __init__(self, dim, invert):
        super().__init__()
        self.split = (dim + 1) // 2
        self.invert = invert
        m = (torch.arange(dim) < self.split).float()
        self.register_buffer("mask", (1 - m if invert else m).unsqueeze(0))
        self.net = mlp(dim, 2 * dim)

    def _params(self, kept):
        p = self.net(kept).reshape(kept.shape[0], 2, kept.shape[1])
        p = p[:, :, :self.split] if self.invert else p[:, :, self.split:]
        shift, raw = p[:, 0], p[:, 1]
        log_scale = torch.tanh(raw * (1.0 / SCALE_BOUND)) * SCALE_BOUND
        return shift, log_scale

    def _blocks(self, x):
        a, b = x[:, :self.split], x[:, self.split:]
        return (b, a) if self.invert else (a, b)

    def _join(self, kept, transformed):
        return torch.cat((transformed, kept) if self.invert else (kept, transformed), 1)

    def forward(self, x):
        shift, s = self._params(x * self.mask)
        kept, t = self._blocks(x)
        return self._join(kept, t * torch.exp(s) + shift), s.sum(1)

    def inverse(self, z):
        shift, s = self._params(z * self.mask)
        kept, t = self._blocks(z)
        return self._join(kept, (t - shift) * torch.exp(-s)), (-s).sum(1)


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


class MaskedLinear(nn.Linear):
    """MaskedLinear: y = x (W * M)^T + b, the fixed 0/1 mask applied on every call."""

    def __init__(self, to_degrees, from_degrees, strict, zero):
        super().__init__(len(from_degrees), len(to_degrees))
        to_d = torch.tensor(to_degrees).unsqueeze(1)
        from_d = torch.tensor(from_degrees).unsqueeze(0)
        keep = to_d > from_d if strict else to_d >= from_d
        self.register_buffer("mask", keep.float())
        if zero:
            nn.init.zeros_(self.weight)
            nn.init.zeros_(self.bias)
        else:
            nn.init.xavier_uniform_(self.weight)

    def forward(self, x):
        return nn.functional.linear(x, self.weight * self.mask, self.bias)


class Made(nn.Module):
    """flows-core Made with the natural order, P outputs per feature, parameter-major."""

    def __init__(self, dim, params, hidden=HIDDEN):
        super().__init__()
        in_deg = list(range(1, dim + 1))
        layers, prev = [], in_deg
        for width in hidden:
            deg = [j % (dim - 1) + 1 if dim > 1 else 0 for j in range(width)]
            layers += [MaskedLinear(deg, prev, False, False), nn.ReLU()]
            prev = deg
        layers.append(MaskedLinear(in_deg * params, prev, True, True))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class MafLayer(nn.Module):
    """MaskedAutoregressiveFlow: density in one MADE pass, sampling in D passes."""

    def __init__(self, dim):
        super().__init__()
        self.dim = dim
        self.made = Made(dim, 2)
        self.register_buffer("one_hot", torch.eye(dim).unsqueeze(1))

    def _params(self, x):
        p = self.made(x).reshape(x.shape[0], 2, self.dim)
        return p[:, 0], torch.tanh(p[:, 1] * (1.0 / SCALE_BOUND)) * SCALE_BOUND

    def forward(self, x):
        shift, s = self._params(x)
        return x * torch.exp(s) + shift, s.sum(1)

    def inverse(self, z):
        x, log_det = torch.zeros_like(z), None
        for k in range(self.dim):
            e = self.one_hot[k]
            shift, s = self._params(x)
            x = x + ((z - shift) * torch.exp(-s) - x) * e
            step = (-s * e).sum(1)
            log_det = step if log_det is None else log_det + step
        return x, log_det


class Reverse(nn.Module):
    """ReversePermutation: flips the features, log-det 0."""

    def forward(self, x):
        return torch.flip(x, [1]), x.new_zeros(x.shape[0])

    def inverse(self, z):
        return torch.flip(z, [1]), z.new_zeros(z.shape[0])


def maf(dim, depth):
    layers = []
    for i in range(depth):
        if i > 0:
            layers.append(Reverse())
        layers.append(MafLayer(dim))
    return Flow(layers, dim)


FAMILIES = {"realnvp": realnvp, "maf": maf}


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
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(42)
    flow = FAMILIES[args.family](args.dim, args.depth)
    adam = torch.optim.Adam(flow.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8,
                            foreach=args.foreach or None)
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
        rate, mean = time_case(steps[case], args.batch, args.warmup_s, args.measure_s, args.windows)
        results.append({
            "family": args.family, "case": case, "dim": args.dim, "batch": args.batch,
            "depth": args.depth, "threads": torch.get_num_threads(),
            "samples_per_s": rate, "mean_samples_per_s": mean, "torch": torch.__version__,
        })
    text = json.dumps(results, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
