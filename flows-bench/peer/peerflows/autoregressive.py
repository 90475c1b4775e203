"""maf and iaf: the autoregressive families of the PyTorch peer (BenchModels' maf and iaf).

maf      `depth` MaskedAutoregressiveFlow layers (flows-core Maf.builder(): MADE + AffineBijection),
         a flip of the features between consecutive layers (ReversePermutation, log-det 0).
         MADE as flows-core's: natural order, input degrees 1..D, hidden unit j of each layer
         degree j % (D - 1) + 1 (0 when D = 1); hidden masks keep degree(unit) >= degree(input),
         the output mask degree(feature) > degree(unit); masked linear = x (W * M)^T + b with
         the mask multiplied in on every call; hidden widths 64, 64 with ReLU; zero output layer
         of 2D units, parameter-major: shift and raw = its two halves (one split);
         s = 3 tanh(raw / 3). Density: z = x exp(s) + t, one MADE pass per layer. Sampling:
         D MADE passes per layer, pass k fixing feature k through a one-hot blend
         x <- x + (x_k' - x) e_k, as flows-core's AutoregressiveFlow does.

iaf      `depth` InverseAutoregressiveFlow layers (flows-core Iaf.builder()): each the maf layer
         above (same MADE, same soft clamp) with its directions swapped (flows-core InverseFlow),
         reversed features between layers. Sampling (generative) is the MAF layer's density
         pass, x = z exp(s(z)) + t(z): one MADE pass per layer. Density (normalizing) is the MAF
         layer's D-pass inverse, in training too; inside it each masked layer computes W * M
         once per call and reuses it for the D passes (flows-core's MaskedLinear reuse scope).

MaskedLinear, Made, MafLayer and IafLayer are flows-core's MaskedLinear, Made,
MaskedAutoregressiveFlow and its InverseFlow; reuse_masked_weights is
MaskedLinear.reuseMaskedWeights.
"""

import contextlib

import torch
from torch import nn

from .coupling import HIDDEN, soft_clamp
from .flow import reversed_stack


class MaskedLinear(nn.Linear):
    """MaskedLinear: y = x (W * M)^T + b, the fixed 0/1 mask applied on every call.

    Inside reuse_masked_weights() each layer computes W * M on its first call only.
    """

    reused = None

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
        reused = MaskedLinear.reused
        if reused is None:
            return nn.functional.linear(x, self.weight * self.mask, self.bias)
        weight = reused.get(self)
        if weight is None:
            weight = reused[self] = self.weight * self.mask
        return nn.functional.linear(x, weight, self.bias)


@contextlib.contextmanager
def reuse_masked_weights():
    """MaskedLinear.reuseMaskedWeights: W * M once per layer for the scope (weights fixed)."""
    if MaskedLinear.reused is not None:
        yield
        return
    MaskedLinear.reused = {}
    try:
        yield
    finally:
        MaskedLinear.reused = None


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
        # parameter-major: the shift and raw groups with one split (AffineBijection.forwardGroups)
        shift, raw = self.made(x).split(self.dim, 1)
        return shift, soft_clamp(raw)

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


class IafLayer(nn.Module):
    """InverseAutoregressiveFlow: a MafLayer with its directions swapped (InverseFlow).

    Density in D passes (W * M once per call), sampling in one MADE pass.
    """

    def __init__(self, dim):
        super().__init__()
        self.maf = MafLayer(dim)

    def forward(self, x):
        with reuse_masked_weights():
            return self.maf.inverse(x)

    def inverse(self, z):
        return self.maf(z)



def maf(dim, depth):
    return reversed_stack(MafLayer, dim, depth)


def iaf(dim, depth):
    return reversed_stack(IafLayer, dim, depth)
