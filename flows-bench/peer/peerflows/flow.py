"""Flow building blocks of the PyTorch peer, shared by every family.

FlowSequence (Sequence), NormalizingFlow with its standard-normal base (Flow), the
ReversePermutation that maf, iaf and nsf put between consecutive layers (Reverse, reversed_stack),
flows-core's Tensors.sumPerSample and the trainable parameter count the results report.
"""

import math

import torch
from torch import nn

LOG_2PI = math.log(2 * math.pi)


def sum_per_sample(a):
    """Tensors.sumPerSample: the sum over every non-batch axis."""
    return a.sum(1) if a.dim() == 2 else a.reshape(a.shape[0], -1).sum(1)



class Sequence(nn.Module):
    """FlowSequence: forward left to right, inverse right to left, log-dets summed (_chain)."""

    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        return self._chain(x, self.layers, False)

    def inverse(self, z):
        return self._chain(z, reversed(self.layers), True)

    @staticmethod
    def _chain(x, layers, inverse):
        """FlowSequence.chain: each layer in turn, log-dets summed."""
        log_det = None
        for layer in layers:
            x, ld = layer.inverse(x) if inverse else layer(x)
            log_det = ld if log_det is None else log_det + ld
        return x, log_det


class Flow(Sequence):
    """NormalizingFlow: the layers as a FlowSequence + a StandardNormal base over `event`."""

    def __init__(self, layers, event):
        super().__init__(layers)
        self.event = tuple(event)
        self.size = math.prod(self.event)

    def log_prob(self, x):
        x, log_det = self(x)
        log_pz = sum_per_sample(x * x) * -0.5 - 0.5 * self.size * LOG_2PI
        return log_pz + log_det

    def sample(self, n):
        return self.inverse(torch.randn(n, *self.event))[0]


class Reverse(nn.Module):
    """ReversePermutation: flips the features, log-det 0."""

    def forward(self, x):
        return torch.flip(x, [1]), x.new_zeros(x.shape[0])

    def inverse(self, z):
        return torch.flip(z, [1]), z.new_zeros(z.shape[0])


def reversed_stack(layer, dim, depth):
    """`depth` layers of `layer(dim)` with a Reverse between consecutive ones, as a Flow."""
    layers = []
    for i in range(depth):
        if i > 0:
            layers.append(Reverse())
        layers.append(layer(dim))
    return Flow(layers, (dim,))



def parameter_count(flow):
    return sum(p.numel() for p in flow.parameters() if p.requires_grad)
