"""Coupling building blocks of the PyTorch peer: the MLP conditioner, the affine bijection and
CouplingFlow (realnvp, nsf and glow use them).

Mlp is flows-core's MlpConditioner (Conditioners.mlp): Linear + ReLU hidden layers of HIDDEN
widths and a zero last layer; its forward_block is MlpConditioner.forwardBlock, the block-wise
pass. Affine is AffineBijection with the soft clamp s = 3 tanh(raw / 3) (soft_clamp). Coupling is CouplingFlow
with a HALF (vectors) or CHANNEL (images) mask; how it picks the masked or the block-wise
conditioner pass (ConditionerPass.AUTO, decided per call against BLOCKWISE_MIN_WORK) is described
in its docstring and, for the families that use it, in realnvp's and spline's module docstrings.
"""

from bisect import bisect_right

import torch
from torch import nn

from .flow import sum_per_sample

HIDDEN = (64, 64)
SCALE_BOUND = 3.0
# CouplingFlow.BLOCKWISE_MIN_WORK: the least batch x parameters per feature x features for which
# a HALF coupling on vectors evaluates its MLP block-wise (ConditionerPass.AUTO)
BLOCKWISE_MIN_WORK = 1 << 16
# AffineBijection.SIGMOID_FORM_MIN_VALUES: from this many values per sample the soft clamp is
# computed as 2B sigmoid(2 raw / B) - B (torch's CPU tanh costs about four times its sigmoid)
SIGMOID_FORM_MIN_VALUES = 8


def soft_clamp(raw, bound=SCALE_BOUND):
    """AffineBijection.softClamp: B tanh(raw / B), in the sigmoid form on wide enough samples."""
    if raw[0].numel() < SIGMOID_FORM_MIN_VALUES:
        return torch.tanh(raw * (1.0 / bound)) * bound
    return torch.sigmoid(raw * (2.0 / bound)) * (2.0 * bound) + (-bound)


class Mlp(nn.Sequential):
    """MlpConditioner: Linear + ReLU hidden layers, zero-initialised last layer (Conditioners.mlp).

    Same parameters (and state-dict keys) as the nn.Sequential it is; forward_block is
    MlpConditioner.forwardBlock.
    """

    def __init__(self, inputs, outputs, hidden=HIDDEN):
        layers, width = [], inputs
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU()]
            width = h
        last = nn.Linear(width, outputs)
        nn.init.zeros_(last.weight)
        nn.init.zeros_(last.bias)
        super().__init__(*layers, last)
        self.rows = {}  # (groups, output_from, output_width) -> cached int64 row index

    def forward_block(self, block, input_from, groups, output_from, output_width):
        """MlpConditioner.forwardBlock: the wanted outputs as (batch, groups, output_width)."""
        out = self._block_output(block, input_from, groups, output_from, output_width)
        return out.reshape(block.shape[0], groups, output_width)

    def forward_block_groups(self, block, input_from, groups, output_from, output_width):
        """The same outputs as a list of `groups` arrays of (batch, output_width), one split:
        MlpConditioner.forwardBlock's output as CouplingFlow cuts it for a bijection that reads
        groups (ElementwiseBijection.groups)."""
        out = self._block_output(block, input_from, groups, output_from, output_width)
        return list(out.split(output_width, 1))

    def _block_output(self, block, input_from, groups, output_from, output_width):
        """The network on an input that is `block` at columns [input_from, input_from + width)
        and zero elsewhere, restricted to output columns [output_from, output_from +
        output_width) of each of the `groups` parameter-major groups: (batch, groups *
        output_width), group-major. The first layer reads through its kept weight columns (one split), the
        last computes the used rows only (weight and bias picked with one shared index)."""
        first, last = self[0], self[-1]
        kept = first.weight.tensor_split((input_from, input_from + block.shape[1]), 1)[1]
        h = nn.functional.linear(block, kept, first.bias)
        for i in range(1, len(self) - 1):
            h = self[i](h)
        key = (groups, output_from, output_width)
        rows = self.rows.get(key)
        if rows is None:
            # rows p * G + j for every group p and wanted column j
            group_size = last.out_features // groups
            rows = self.rows[key] = (torch.arange(groups).unsqueeze(1) * group_size + output_from
                                     + torch.arange(output_width)).reshape(-1)
        return nn.functional.linear(h, last.weight.index_select(0, rows),
                                    last.bias.index_select(0, rows))


def mlp(inputs, outputs, hidden=HIDDEN):
    """Conditioners.mlp: an Mlp (MlpConditioner)."""
    return Mlp(inputs, outputs, hidden)


def groups(raw, count, features, lo, hi):
    """ElementwiseBijection.groups: parameter k of features [lo, hi) is columns [k F + lo, k F + hi)
    of the parameter-major output `raw` (batch, count * F, ...), cut with one split."""
    cuts = sorted({k * features + c for k in range(count) for c in (lo, hi)} - {0, count * features})
    bounds = [0] + cuts + [count * features]
    pieces = raw.split([b - a for a, b in zip(bounds, bounds[1:])], 1)
    return [pieces[bisect_right(cuts, k * features + lo)] for k in range(count)]


class Affine:
    """AffineBijection(3): y = x exp(s) + t, s = 3 tanh(raw / 3); params (batch, 2, ...), or the
    two groups [shift, raw] (AffineBijection.forwardGroups: reads_groups)."""

    count = 2
    reads_groups = True

    def __call__(self, x, p, inverse):
        shift, raw = p if isinstance(p, list) else (p[:, 0], p[:, 1])
        s = soft_clamp(raw)
        if inverse:
            return (x - shift) * torch.exp(-s), -s
        return x * torch.exp(s) + shift, s


class Coupling(nn.Module):
    """CouplingFlow with a HALF (vectors) or CHANNEL (images) mask and a bijection.

    As flows-core's contiguous-mask path: the conditioner sees the masked full-width input, and
    the bijection runs on the transformed block of axis 1 only, joined to the kept block by a
    concatenation; the log-det sums the bijection's over the transformed block.

    Block-wise pass (CouplingFlow.blockwise): a HALF mask on vectors with an Mlp conditioner
    skips the masked input and the parameter slicing and takes the transformed block's
    parameters from Mlp.forward_block on the kept block; same values. `Coupling.conditioner_pass`
    is ConditionerPass: "auto" (block-wise when batch x P x D >= BLOCKWISE_MIN_WORK, decided per
    call), "blockwise" (whenever it applies) or "masked" (never).
    """

    conditioner_pass = "auto"

    def __init__(self, features, invert, net, bijection):
        super().__init__()
        self.split = (features[0] + 1) // 2
        self.invert = invert
        m = (torch.arange(features[0]) < self.split).float()
        m = m.reshape(-1, *[1] * (len(features) - 1)).expand(features)
        self.register_buffer("mask", (1 - m if invert else m).unsqueeze(0).contiguous())
        self.net = net
        self.bijection = bijection

    def _params(self, kept):
        """The transformed block's parameters: its groups cut from the output with one split where
        the bijection reads groups (CouplingFlow.couple), else (batch, P, block...)."""
        raw = self.net(kept)
        count, features = self.bijection.count, kept.shape[1]
        lo, hi = (0, self.split) if self.invert else (self.split, features)
        if getattr(self.bijection, "reads_groups", False) and \
                raw.shape == (kept.shape[0], count * features, *kept.shape[2:]):
            return groups(raw, count, features, lo, hi)
        p = raw.reshape(kept.shape[0], count, *kept.shape[1:])
        return p[:, :, lo:hi]

    def _blockwise(self, shape):
        """Whether this call runs block-wise (HALF mask on vectors, Mlp conditioner, the pass)."""
        mode = Coupling.conditioner_pass
        if mode == "masked" or len(shape) != 2 or not isinstance(self.net, Mlp):
            return False
        work = shape[0] * self.bijection.count * shape[1]
        return mode == "blockwise" or work >= BLOCKWISE_MIN_WORK

    def block_split(self, shape):
        """CouplingFlow.blockSplit: the split column where this call runs block-wise, else -1."""
        return self.split if self._blockwise(shape) else -1

    def blocks(self, a, b, inverse):
        """CouplingFlow.forwardBlocks / inverseBlocks: the block-wise pass on the input's two
        blocks; returns the output's two blocks and the log-det."""
        kept, t = (b, a) if self.invert else (a, b)
        # without inversion the first block conditions and the second is transformed
        p = self._block_params(kept, t)
        y, log_det = self.bijection(t, p, inverse)
        return ((y, b) if self.invert else (a, y)), sum_per_sample(log_det)

    def _block_params(self, kept, t):
        """The transformed block's parameters from the block-wise pass: groups where the bijection
        reads them (CouplingFlow.transformBlocks), else (batch, P, width)."""
        # without inversion the first block conditions and the second is transformed
        args = (kept, self.split if self.invert else 0, self.bijection.count,
                0 if self.invert else self.split, t.shape[1])
        if getattr(self.bijection, "reads_groups", False):
            return self.net.forward_block_groups(*args)
        return self.net.forward_block(*args)

    def _couple(self, x, inverse):
        blockwise = self._blockwise(x.shape)
        p = None if blockwise else self._params(x * self.mask)
        a, b = x[:, :self.split], x[:, self.split:]
        kept, t = (b, a) if self.invert else (a, b)
        if blockwise:
            p = self._block_params(kept, t)
        y, log_det = self.bijection(t, p, inverse)
        y = torch.cat((y, kept) if self.invert else (kept, y), 1)
        return y, sum_per_sample(log_det)

    def forward(self, x):
        return self._couple(x, False)

    def inverse(self, z):
        return self._couple(z, True)
