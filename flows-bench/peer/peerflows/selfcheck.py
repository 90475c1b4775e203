"""--self-check of the PyTorch peer: float64 contract checks of every family.

self_check checks every family in float64 (inverse(forward(x)) = x, forward log-det = log|det|
of the autograd Jacobian = -inverse log-det, after randomising every parameter), then that a
natural coupling (conditioner on the kept half, transformed half's parameters out) equals the
masked full-width form whose weights it slices, as flows-core converts version-1 checkpoints
(dims 20 and 21, both mask inversions, affine and spline); it prints the parameter counts at
dims 2 and 64, depth 8, and returns non-zero on a failure.
"""

import torch

from .coupling import Affine, Coupling, cut, mlp, split_sizes
from .flow import parameter_count
from .glow import glow
from .spline import Spline


def check_flow(name, flow, noise=0.1, batch=2, tol=1e-8):
    """Float64 contract check of one flow; returns True when it passes (and prints the errors).

    Runs one training forward first (ActNorm's data-dependent initialisation), then adds
    N(0, noise^2) to every parameter, so zero-initialised last layers no longer make the layers
    identities (larger noise makes deep stacks so contracting that float64 inverses lose
    digits). Inputs are standard normal x 2, so splines see both their interval and their tails.
    """
    flow = flow.double()
    x = torch.randn(batch, *flow.event) * 2
    flow.log_prob(x)
    with torch.no_grad():
        for p in flow.parameters():
            p.add_(torch.randn_like(p) * noise)
        z, log_det = flow(x)
        back, inverse_log_det = flow.inverse(z)
    size = flow.size
    jacobian_log_det = torch.stack([
        torch.linalg.slogdet(torch.autograd.functional.jacobian(
            lambda v: flow(v)[0], x[i:i + 1]).reshape(size, size))[1]
        for i in range(batch)])
    errors = {
        "inverse": (back - x).abs().max().item(),
        "log-det vs Jacobian": (log_det - jacobian_log_det).abs().max().item(),
        "log-dets cancel": (log_det + inverse_log_det).abs().max().item(),
    }
    largest = log_det.abs().max().item()
    scale = max(1.0, largest)
    ok = (errors["inverse"] < tol and errors["log-det vs Jacobian"] < tol * scale
          and errors["log-dets cancel"] < tol * scale and largest > 1e-3)  # not the identity
    print(f"{'ok  ' if ok else 'FAIL'} {name:<40} max |log-det| {largest:9.3g}  "
          + "  ".join(f"{k} {v:.1e}" for k, v in errors.items()))
    return ok


def check_sliced(name, bijection, dim, invert, batch=64, tol=1e-12):
    """Float64: a masked full-width coupling (MLP on x * mask, every feature's parameters, the
    transformed ones used) equals the natural coupling whose first layer keeps the kept columns
    and last layer the transformed rows of the same weights, in both directions."""
    kept, transformed = split_sizes(dim, invert)
    first = (dim + 1) // 2
    kept_idx = torch.arange(first, dim) if invert else torch.arange(first)
    t_idx = torch.arange(first) if invert else torch.arange(first, dim)
    full = mlp(dim, bijection.count * dim).double()
    with torch.no_grad():
        for p in full.parameters():
            p.copy_(torch.randn_like(p) * 0.3)
    natural = Coupling((dim,), invert, mlp(kept, bijection.count * transformed), bijection).double()
    rows = (torch.arange(bijection.count).unsqueeze(1) * dim + t_idx).reshape(-1)
    with torch.no_grad():
        natural.net[0].weight.copy_(full[0].weight[:, kept_idx])
        natural.net[0].bias.copy_(full[0].bias)
        for i in range(1, len(full) - 1):
            for q, r in zip(natural.net[i].parameters(), full[i].parameters()):
                q.copy_(r)
        natural.net[-1].weight.copy_(full[-1].weight[rows])
        natural.net[-1].bias.copy_(full[-1].bias[rows])
    mask = torch.zeros(dim, dtype=torch.float64)
    mask[kept_idx] = 1
    errors = []
    for inverse in (False, True):
        x = torch.randn(batch, dim) * 2
        raw = full(x * mask).reshape(batch, bijection.count, dim)[:, :, t_idx]
        p = cut(raw.reshape(batch, -1), bijection.shapes, x[:, t_idx])
        y_t, log_d = bijection(x[:, t_idx], p, inverse)
        y = x.clone()
        y[:, t_idx] = y_t
        z, log_det = natural.inverse(x) if inverse else natural(x)
        errors += [(z - y).abs().max().item(), (log_det - log_d.sum(1)).abs().max().item()]
    ok = max(errors) < tol
    print(f"{'ok  ' if ok else 'FAIL'} {name:<40} natural vs masked form: max abs diff {max(errors):.1e}")
    return ok


def self_check(families):
    """Checks every family of `families` (name -> builder(dim, depth)) in float64 and prints the
    parameter counts; returns an exit status."""
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float64)
    cases = [(f"{family} dim={dim} depth=3", families[family](dim, 3))
             for family in ("realnvp", "maf", "iaf", "nsf") for dim in (2, 5)]
    passed = [check_flow(name, flow) for name, flow in cases]
    passed += [check_sliced(f"{kind} coupling dim={dim} invert={invert}", bijection, dim, invert)
               for kind, bijection in (("affine", Affine()), ("spline", Spline()))
               for dim in (20, 21) for invert in (False, True)]
    passed.append(check_flow("glow 1x8x8 depth=2", glow(0, 2, image=(1, 8, 8)), noise=0.05))
    passed.append(check_flow("glow 1x28x28 depth=8 (the benchmark's)", glow(0, 8), noise=0.05))
    torch.set_default_dtype(torch.float32)
    for family in families:
        counts = [f"dim={dim}: {parameter_count(families[family](dim, 8))}" for dim in (2, 64)]
        print(f"parameters {family:<8} depth=8  " + "  ".join(counts))
    return 0 if all(passed) else 1
