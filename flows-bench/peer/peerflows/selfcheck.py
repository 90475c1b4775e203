"""--self-check of the PyTorch peer: float64 contract checks of every family.

self_check checks every family in float64 (inverse(forward(x)) = x, forward log-det = log|det|
of the autograd Jacobian = -inverse log-det, after randomising every parameter), realnvp and nsf
also with the block-wise pass forced, then the block-wise against the masked pass of single
affine and spline couplings (dims 20 and 21, both mask inversions, every parameter randomised):
forward and inverse outputs and log-dets and all parameter gradients; it prints the parameter
counts at dims 2 and 64, depth 8, and returns non-zero on a failure.
"""

import contextlib

import torch

from .coupling import Affine, Coupling, mlp
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


@contextlib.contextmanager
def conditioner_pass(mode):
    """Sets Coupling.conditioner_pass for the scope."""
    previous, Coupling.conditioner_pass = Coupling.conditioner_pass, mode
    try:
        yield
    finally:
        Coupling.conditioner_pass = previous


def coupling_outputs(layer, x, z, weights, mode):
    """Forward and inverse outputs and log-dets of `layer` under `mode`, and the gradients of a
    fixed random combination of all four with respect to every parameter."""
    layer.zero_grad(set_to_none=True)
    with conditioner_pass(mode):
        outputs = [*layer(x), *layer.inverse(z)]
    sum(o.mul(w).sum() for o, w in zip(outputs, weights)).backward()
    return outputs + [p.grad for p in layer.parameters()]


def check_blockwise(name, layer, dim, batch=64, tol=1e-12):
    """Float64: the block-wise and the masked pass of one coupling, with every parameter (the
    last layer's included) randomised, agree on forward and inverse outputs and log-dets and
    on every parameter gradient; prints the largest absolute and relative differences."""
    layer = layer.double()
    with torch.no_grad():
        for p in layer.parameters():
            p.copy_(torch.randn_like(p) * 0.3)
    x, z = torch.randn(batch, dim) * 2, torch.randn(batch, dim) * 2
    weights = [torch.randn(batch, dim), torch.randn(batch), torch.randn(batch, dim),
               torch.randn(batch)]
    block = coupling_outputs(layer, x, z, weights, "blockwise")
    masked = coupling_outputs(layer, x, z, weights, "masked")
    absolute = max((u - v).abs().max().item() for u, v in zip(block, masked))
    relative = max(((u - v).abs() / v.abs().clamp_min(1e-300)).max().item()
                   for u, v in zip(block, masked))
    scale = max(v.abs().max().item() for v in masked)
    ok = absolute < tol * max(1.0, scale)
    print(f"{'ok  ' if ok else 'FAIL'} {name:<40} block-wise vs masked: max abs diff "
          f"{absolute:.1e}, max rel diff {relative:.1e} (largest value {scale:.3g}; outputs, "
          f"log-dets, {len(block) - 4} parameter gradients)")
    return ok


def self_check(families):
    """Checks every family of `families` (name -> builder(dim, depth)) in float64 and prints the
    parameter counts; returns an exit status."""
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float64)
    cases = [(f"{family} dim={dim} depth=3", families[family](dim, 3))
             for family in ("realnvp", "maf", "iaf", "nsf") for dim in (2, 5)]
    passed = [check_flow(name, flow) for name, flow in cases]
    with conditioner_pass("blockwise"):
        passed += [check_flow(f"{family} dim={dim} depth=3 block-wise", families[family](dim, 3))
                   for family in ("realnvp", "nsf") for dim in (2, 5)]
    passed += [check_blockwise(f"affine coupling dim={dim} invert={invert}",
                               Coupling((dim,), invert, mlp(dim, 2 * dim), Affine()), dim)
               for dim in (20, 21) for invert in (False, True)]
    passed += [check_blockwise(f"spline coupling dim={dim} invert={invert}",
                               Coupling((dim,), invert, mlp(dim, Spline.count * dim), Spline()),
                               dim)
               for dim in (20, 21) for invert in (False, True)]
    passed.append(check_flow("glow 1x8x8 depth=2", glow(0, 2, image=(1, 8, 8)), noise=0.05))
    passed.append(check_flow("glow 1x28x28 depth=8 (the benchmark's)", glow(0, 8), noise=0.05))
    torch.set_default_dtype(torch.float32)
    for family in families:
        counts = [f"dim={dim}: {parameter_count(families[family](dim, 8))}" for dim in (2, 64)]
        print(f"parameters {family:<8} depth=8  " + "  ".join(counts))
    return 0 if all(passed) else 1
