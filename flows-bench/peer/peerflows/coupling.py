"""Coupling building blocks of the PyTorch peer: the MLP conditioner, the affine bijection and
CouplingFlow (realnvp, nsf and glow use them).

Mlp is flows-core's Conditioners.mlp: Linear + ReLU hidden layers of HIDDEN widths and a zero last
layer. Affine is AffineBijection with the soft clamp s = 3 tanh(raw / 3) (soft_clamp). Coupling is
CouplingFlow with a HALF (vectors) or CHANNEL (images) mask: the conditioner reads the kept block
and writes the transformed block's parameters only, parameter-major.
"""

import torch
from torch import nn

from .flow import sum_per_sample

HIDDEN = (64, 64)
SCALE_BOUND = 3.0
# AffineBijection.SIGMOID_FORM_MIN_VALUES: from this many values per sample the soft clamp is
# computed as 2B sigmoid(2 raw / B) - B (torch's CPU tanh costs about four times its sigmoid)
SIGMOID_FORM_MIN_VALUES = 8


def soft_clamp(raw, bound=SCALE_BOUND):
    """AffineBijection.softClamp: B tanh(raw / B), in the sigmoid form on wide enough samples."""
    if raw[0].numel() < SIGMOID_FORM_MIN_VALUES:
        return torch.tanh(raw * (1.0 / bound)) * bound
    return torch.sigmoid(raw * (2.0 / bound)) * (2.0 * bound) + (-bound)


class Mlp(nn.Sequential):
    """Conditioners.mlp: Linear + ReLU hidden layers, zero-initialised last layer."""

    def __init__(self, inputs, outputs, hidden=HIDDEN):
        layers, width = [], inputs
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU()]
            width = h
        last = nn.Linear(width, outputs)
        nn.init.zeros_(last.weight)
        nn.init.zeros_(last.bias)
        super().__init__(*layers, last)


def mlp(inputs, outputs, hidden=HIDDEN):
    """Conditioners.mlp: an Mlp."""
    return Mlp(inputs, outputs, hidden)


def split_sizes(n, invert):
    """A HALF / CHANNEL mask on n features: (kept, transformed) counts; the first ceil(n / 2)
    condition unless inverted."""
    first = (n + 1) // 2
    return (n - first, first) if invert else (first, n - first)


class Affine:
    """AffineBijection(3): y = x exp(s) + t, s = 3 tanh(raw / 3); parameter shapes {1, 1}: the
    groups [shift, raw], each shaped like x."""

    shapes = (1, 1)
    count = 2

    def __call__(self, x, p, inverse):
        shift, raw = p
        s = soft_clamp(raw)
        if inverse:
            return (x - shift) * torch.exp(-s), -s
        return x * torch.exp(s) + shift, s


def cut(raw, shapes, like):
    """ElementwiseBijection.cut: the parameter-major output `raw` (batch, P * F, ...) as groups,
    one split; a group of size 1 shaped like `like`, of size s as (batch, s, F, ...)."""
    features = like.shape[1]
    pieces = raw.split([s * features for s in shapes], 1)
    return [piece if s == 1 else piece.reshape(like.shape[0], s, *like.shape[1:])
            for piece, s in zip(pieces, shapes)]


class Coupling(nn.Module):
    """CouplingFlow with a HALF (vectors) or CHANNEL (images) mask and a bijection: the kept block
    of axis 1 conditions, through `net`, the bijection of the transformed block; the output is
    the two blocks joined, the log-det the bijection's summed over the transformed block. `net`
    maps the kept block to the transformed block's parameters (batch, P * transformed, ...)."""

    def __init__(self, features, invert, net, bijection):
        super().__init__()
        self.split = (features[0] + 1) // 2
        self.invert = invert
        self.net = net
        self.bijection = bijection

    def _couple(self, x, inverse):
        a, b = x[:, :self.split], x[:, self.split:]
        kept, t = (b, a) if self.invert else (a, b)
        p = cut(self.net(kept), self.bijection.shapes, t)
        y, log_det = self.bijection(t, p, inverse)
        y = torch.cat((y, kept) if self.invert else (kept, y), 1)
        return y, sum_per_sample(log_det)

    def forward(self, x):
        return self._couple(x, False)

    def inverse(self, z):
        return self._couple(z, True)
