#!/usr/bin/python3
"""PyTorch peer of flows-bench: the same flows as BenchModels.java, timed the same way.

Each family here mirrors one factory of io.github.djlflows.bench.BenchModels, layer for layer:

realnvp  `depth` affine couplings (flows-core CouplingFlow + AffineBijection, as RealNvp.builder()
         builds them): alternating HALF masks (the first ceil(D/2) features condition; odd layers
         invert the mask); conditioner MLP D -> 64 -> ReLU -> 64 -> ReLU -> 2D with a zero last
         layer; params reshaped to (batch, 2, D), shift = [:, 0], raw = [:, 1], both taken on the
         transformed block only; s = 3 tanh(raw / 3); z = concat(kept block, x exp(s) + t in the
         transformed block); log-det = sum(s). Conditioner pass as flows-core's AUTO (c009cbd),
         decided per call: when batch x 2 x D < 65536 (CouplingFlow.BLOCKWISE_MIN_WORK; e.g.
         dim 64 at batch 256) the MLP runs on the masked full-width input and the transformed
         block's parameters are sliced from its (batch, 2, D) output; from 65536 on (dim 64 at
         batch 1024) it runs block-wise (MlpConditioner.forwardBlock): the kept block alone
         through the first layer's kept weight columns (one split of the weight), the hidden
         layer as usual, and the last layer on the rows p D + j of the transformed features j
         only (weight and bias picked with one cached int64 index), reshaped to (batch, 2, Dt);
         same values, no mask product, half the first and last layers' work;
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

iaf      `depth` InverseAutoregressiveFlow layers (flows-core Iaf.builder()): each the maf layer
         above (same MADE, same soft clamp) with its directions swapped (flows-core InverseFlow),
         reversed features between layers. Sampling (generative) is the MAF layer's density
         pass, x = z exp(s(z)) + t(z): one MADE pass per layer. Density (normalizing) is the MAF
         layer's D-pass inverse, in training too; inside it each masked layer computes W * M
         once per call and reuses it for the D passes (flows-core's MaskedLinear reuse scope).

nsf      `depth` RationalQuadraticCouplings (flows-core Nsf.builder(), COUPLING structure),
         a ReversePermutation between consecutive couplings (every coupling has the same,
         non-inverted HALF mask: the first ceil(D/2) features condition); conditioner MLP
         D -> 64 -> ReLU -> 64 -> ReLU -> (3K - 1) D, zero last layer, evaluated as realnvp's
         (AUTO rule with P = 3K - 1 = 23: block-wise from batch x 23 x D >= 65536, so at batch
         256 from D = 12 on, dim 64 included; below it on the masked full-width input with the
         params reshaped to (batch, 3K - 1, D) and taken on the transformed block only).
         Spline (flows-core RationalQuadraticSpline): K = 8 bins on [-3, 3], linear (identity)
         tails; params split once into [0, K) widths, [K, 2K) heights, [2K, 3K - 1) interior
         derivatives; knots -B + 2B cumsum(1e-3 + (1 - 1e-3 K) softmax(sizes)), the first K - 1
         of them, padded with -B in front and B at the end; derivatives
         softplus(raw + log(expm1(1 - 1e-3))) + 1e-3, padded with 1 at both ends; inside =
         |x| <= B; inputs outside replaced by 0 before the spline math and the identity
         (log-det 0) selected for them; the math on (batch, 1, D) arrays, squeezed at the end;
         bin = number of interior knots <= x (bool comparison summed), then ONE gather from the
         table [knots x; knots y; derivatives] (concatenated along the bin axis) at bin +
         [0, 1, K+1, K+2, 2K+2, 2K+3], split into x_k, x_k+1, y_k, y_k+1, d_k, d_k+1; 1 - theta
         and theta^2 computed once each; inverse by the root 2c / (-b - sqrt(b^2 - 4ac)) with the
         discriminant floored at 1e-30. One conditioner pass per coupling in each direction.

glow     flows-core Glow.builder() on (1, 28, 28) images (BenchModels.GLOW_IMAGE; --dim is
         ignored): a MultiScaleFlow of L = 2 levels, each squeeze (B, C, H, W) ->
         (B, 4C, H/2, W/2) [reshape (B, C, H/2, 2, W/2, 2), axes (0, 1, 3, 5, 2, 4)] then
         `depth` steps, the first level ending in a split that factors out the second half of
         the channels: level 0 runs at 4 x 14 x 14, level 1 at 8 x 7 x 7, and each level's
         output goes back through the inverse squeeze, so z has the input's shape. Step =
           ActNorm: z = (x + b) exp(s), per-channel s, b, zero at start, set from the first
             training batch (b = -mean, s = -log(std + 1e-6), over batch and pixels; here the
             first forward with autograd on);
             log-det = H W sum(s);
           InvertibleConv1x1 in LU form: W = P L U, L = lower * (strict lower mask) + I,
             U = upper * (strict upper mask) + I diag(sign exp(logAbsS)), lower and upper full
             C x C parameters, P and sign fixed; from the LU factors of a random orthogonal
             matrix; z = W x per pixel, as one matrix product (x permuted to channels-last,
             times W^T, permuted back), log-det = H W sum(logAbsS); the inverse builds W and
             inverts it once per call;
           AffineCoupling, CHANNEL mask (the first ceil(C/2) channels condition), soft clamp 3,
             conditioner Conv3x3(C -> 64) -> ReLU -> Conv1x1(64 -> 64) -> ReLU ->
             Conv3x3(64 -> 2C), zero last convolution, on the masked full input; params
             (batch, 2, C, H, W) taken on the transformed channels, as realnvp's.
         Standard-normal base over all 784 values; data: standard-normal (batch, 1, 28, 28),
         as the Java benchmark's.

Not mirrored (DJL bookkeeping, not flow work): flows-core's per-call copies of parameters into
the batch's NDManager (Tensors.param) and InvertibleConv1x1's per-call constants (P, masks, I,
signs), which the peer holds as buffers. Initial values come from torch's generator, so they
differ from DJL's where those are random (hidden layers, the 1x1 convolutions' rotations);
zero layers, shapes and parameter counts are the same.

Cases (scores in samples per second = batch x steps per second):
  train    forward + NLL + backward + Adam step (+ loss.item(), as DJL's NLL reads the loss);
           torch.optim.Adam with its defaults (torch 1.13: the per-parameter loop, foreach off;
           --foreach turns on its multi-tensor path)
  logprob  log p(x) of a batch under torch.no_grad()
  sample   a batch of samples (base draw + inverse pass) under torch.no_grad()

Adding a family: one builder function and one entry in FAMILIES.

--masked forces the masked conditioner pass in every coupling (flows-core's
optConditionerPass(MASKED)), for comparison with the block-wise one; the results' JSON records
the pass ("auto" or "masked") as conditioner_pass.

--self-check checks every family in float64 (inverse(forward(x)) = x, forward log-det = log|det|
of the autograd Jacobian = -inverse log-det, after randomising every parameter), realnvp and nsf
also with the block-wise pass forced, then the block-wise against the masked pass of single
affine and spline couplings (dims 20 and 21, both mask inversions, every parameter randomised):
forward and inverse outputs and log-dets and all parameter gradients; it prints the parameter
counts at dims 2 and 64, depth 8, and exits non-zero on a failure.

Usage: /usr/bin/python3 torch_flows.py --dim 2 --batch 256 --threads 1 --json out.json
"""

import argparse
import contextlib
import json
import math
import sys
import time

import torch
from torch import nn

HIDDEN = (64, 64)
SCALE_BOUND = 3.0
NSF_BINS = 8
SPLINE_BOUND = 3.0
SPLINE_MINIMUM = 1e-3  # minimum bin width, bin height (fractions of 2B) and knot derivative
DISCRIMINANT_FLOOR = 1e-30
GLOW_IMAGE = (1, 28, 28)
GLOW_LEVELS = 2
LEARNING_RATE = 1e-3
LOG_2PI = math.log(2 * math.pi)
# CouplingFlow.BLOCKWISE_MIN_WORK: the least batch x parameters per feature x features for which
# a HALF coupling on vectors evaluates its MLP block-wise (ConditionerPass.AUTO)
BLOCKWISE_MIN_WORK = 1 << 16


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
        """The network on an input that is `block` at columns [input_from, input_from + width)
        and zero elsewhere, restricted to output columns [output_from, output_from +
        output_width) of each of the `groups` parameter-major groups: (batch, groups,
        output_width). The first layer reads through its kept weight columns (one split), the
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
        out = nn.functional.linear(h, last.weight.index_select(0, rows),
                                   last.bias.index_select(0, rows))
        return out.reshape(block.shape[0], groups, output_width)


def mlp(inputs, outputs, hidden=HIDDEN):
    """Conditioners.mlp: an Mlp (MlpConditioner)."""
    return Mlp(inputs, outputs, hidden)


def sum_per_sample(a):
    """Tensors.sumPerSample: the sum over every non-batch axis."""
    return a.sum(1) if a.dim() == 2 else a.reshape(a.shape[0], -1).sum(1)


class Affine:
    """AffineBijection(3): y = x exp(s) + t, s = 3 tanh(raw / 3); params (batch, 2, ...)."""

    count = 2

    def __call__(self, x, p, inverse):
        shift, raw = p[:, 0], p[:, 1]
        s = torch.tanh(raw * (1.0 / SCALE_BOUND)) * SCALE_BOUND
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
        p = self.net(kept).reshape(kept.shape[0], self.bijection.count, *kept.shape[1:])
        return p[:, :, :self.split] if self.invert else p[:, :, self.split:]

    def _blockwise(self, x):
        """Whether this call runs block-wise (HALF mask on vectors, Mlp conditioner, the pass)."""
        mode = Coupling.conditioner_pass
        if mode == "masked" or x.dim() != 2 or not isinstance(self.net, Mlp):
            return False
        work = x.shape[0] * self.bijection.count * x.shape[1]
        return mode == "blockwise" or work >= BLOCKWISE_MIN_WORK

    def _couple(self, x, inverse):
        blockwise = self._blockwise(x)
        p = None if blockwise else self._params(x * self.mask)
        a, b = x[:, :self.split], x[:, self.split:]
        kept, t = (b, a) if self.invert else (a, b)
        if blockwise:
            # without inversion the first block conditions and the second is transformed
            p = self.net.forward_block(kept, self.split if self.invert else 0, self.bijection.count,
                                       0 if self.invert else self.split, t.shape[1])
        y, log_det = self.bijection(t, p, inverse)
        y = torch.cat((y, kept) if self.invert else (kept, y), 1)
        return y, sum_per_sample(log_det)

    def forward(self, x):
        return self._couple(x, False)

    def inverse(self, z):
        return self._couple(z, True)


class Sequence(nn.Module):
    """FlowSequence: forward left to right, inverse right to left, log-dets summed."""

    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        log_det = None
        for layer in self.layers:
            x, ld = layer(x)
            log_det = ld if log_det is None else log_det + ld
        return x, log_det

    def inverse(self, z):
        log_det = None
        for layer in reversed(self.layers):
            z, ld = layer.inverse(z)
            log_det = ld if log_det is None else log_det + ld
        return z, log_det


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
        z = torch.randn(n, *self.event)
        for layer in reversed(self.layers):
            z, _ = layer.inverse(z)
        return z


def realnvp(dim, depth):
    return Flow([Coupling((dim,), i % 2 == 1, mlp(dim, 2 * dim), Affine()) for i in range(depth)],
                (dim,))


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


def maf(dim, depth):
    return reversed_stack(MafLayer, dim, depth)


def iaf(dim, depth):
    return reversed_stack(IafLayer, dim, depth)


def axis_one_padding(rank, before, after):
    """torch's (and DJL's) padding list for axis 1 of a rank-`rank` array: pairs from the last
    axis backwards, zero for every axis after 1."""
    return (0, 0) * (rank - 2) + (before, after)


def knots(sizes, minimum):
    """RationalQuadraticSpline.knots: K + 1 knots partitioning [-B, B], ends exactly at -B, B."""
    k, rank = sizes.shape[1], sizes.dim()
    fractions = sizes.softmax(1).mul(1 - minimum * k).add(minimum)
    inner = fractions.cumsum(1).tensor_split((k - 1,), 1)[0]
    interior = inner.mul(2 * SPLINE_BOUND).add(-SPLINE_BOUND)
    # the end knots are exactly -B and B
    pad = nn.functional.pad
    return pad(pad(interior, axis_one_padding(rank, 1, 0), value=-SPLINE_BOUND),
               axis_one_padding(rank, 0, 1), value=SPLINE_BOUND)


class Spline:
    """RationalQuadraticSpline(K = 8, B = 3, minima 1e-3, linear tails); params (batch, 3K-1, ...).

    Written op for op as flows-core's (same operations in the same order), in torch's spelling:
    torch's Python scalars where flows-core uses shared 0-dimensional constants.
    """

    count = 3 * NSF_BINS - 1
    derivative_shift = math.log(math.expm1(1 - SPLINE_MINIMUM))
    # rows of x_k, x_k+1, y_k, y_k+1, d_k, d_k+1 in the table of K + 1 knots x, y, d, shaped for
    # (batch, K + 1, features) tables: the peer's splines act on vectors
    offsets = torch.tensor([0, 1, NSF_BINS + 1, NSF_BINS + 2, 2 * NSF_BINS + 2,
                            2 * NSF_BINS + 3]).reshape(1, 6, 1)

    def __call__(self, x, p, inverse):
        k, bound, rank = NSF_BINS, SPLINE_BOUND, x.dim() + 1
        # one split: widths, heights, derivatives as views
        widths, heights, raw = p.tensor_split((k, 2 * k), 1)
        knots_x = knots(widths, SPLINE_MINIMUM)
        knots_y = knots(heights, SPLINE_MINIMUM)
        interior = nn.functional.softplus(raw.add(self.derivative_shift)).add(SPLINE_MINIMUM)
        slopes = nn.functional.pad(interior, axis_one_padding(rank, 1, 1), value=1.0)
        inside = x.abs().le(bound)
        # outside [-B, B] the spline runs on 0, whose result the final where drops
        v = torch.where(inside, x, 0.0).unsqueeze(1)
        # the bin: how many interior knots lie at or below v (a bool sum is int64), then one
        # gather of the bin's six quantities from the knots and derivatives side by side
        searched = knots_y if inverse else knots_x
        index = v.ge(searched.tensor_split((1, k), 1)[1]).sum(1, keepdim=True)
        table = torch.cat((knots_x, knots_y, slopes), 1)
        xk, xk1, yk, yk1, dk, dk1 = table.gather(1, index.add(self.offsets)).tensor_split(6, 1)
        wk = xk1.sub(xk)
        hk = yk1.sub(yk)
        sk = hk.div(wk)
        curvature = dk.add(dk1).sub(sk.add(sk))
        if inverse:
            dy = v.sub(yk)
            a = hk.mul(sk.sub(dk)).add(dy.mul(curvature))
            b = hk.mul(dk).sub(dy.mul(curvature))
            c = sk.mul(dy).neg()
            discriminant = b.square().sub(a.mul(c).mul(4)).clamp_min(DISCRIMINANT_FLOOR)
            theta = c.add(c).div(b.neg().sub(discriminant.sqrt()))
            y = theta.mul(wk).add(xk)
            one_minus = theta.neg().add(1)
            mixed = theta.mul(one_minus)
            denominator = sk.add(curvature.mul(mixed))
            theta_squared = theta.square()
        else:
            theta = v.sub(xk).div(wk)
            one_minus = theta.neg().add(1)
            mixed = theta.mul(one_minus)
            theta_squared = theta.square()
            numerator = hk.mul(sk.mul(theta_squared).add(dk.mul(mixed)))
            denominator = sk.add(curvature.mul(mixed))
            y = yk.add(numerator.div(denominator))
        numerator = sk.square().mul(
            dk1.mul(theta_squared).add(sk.mul(mixed).mul(2)).add(dk.mul(one_minus.square())))
        log_d = numerator.log().sub(denominator.log().mul(2))
        if inverse:
            log_d = log_d.neg()
        return torch.where(inside, y.squeeze(1), x), torch.where(inside, log_d.squeeze(1), 0.0)


def spline_coupling(dim):
    """RationalQuadraticCoupling: non-inverted HALF mask, MLP conditioner, 3K - 1 per feature."""
    return Coupling((dim,), False, mlp(dim, Spline.count * dim), Spline())


def nsf(dim, depth):
    return reversed_stack(spline_coupling, dim, depth)


def zeroed(layer):
    """A layer with zero weight and bias (ImageConditioners.zeroConv)."""
    nn.init.zeros_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


def conv_net(channels, outputs, hidden):
    """ImageConditioners.convNet: 3x3 -> ReLU -> 1x1 -> ReLU -> zero 3x3, padding 1."""
    return nn.Sequential(nn.Conv2d(channels, hidden, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(hidden, hidden, 1), nn.ReLU(),
                         zeroed(nn.Conv2d(hidden, outputs, 3, padding=1)))


def per_pixel_log_det(total, like):
    """H W total as a log-det of shape (batch) (Tensors.perSample)."""
    return total * (like.shape[2] * like.shape[3]) + like.new_zeros(like.shape[0])


class ActNorm(nn.Module):
    """ActNorm: z = (x + b) exp(s) per channel; s, b set from the first training batch."""

    def __init__(self, channels):
        super().__init__()
        self.log_scale = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.bias = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.initialized = False

    @torch.no_grad()
    def _initialize(self, x):
        flat = x.transpose(0, 1).reshape(x.shape[1], -1)
        mean = flat.mean(1, keepdim=True)
        std = flat.sub(mean).square().mean(1).sqrt()
        self.bias.copy_(mean.neg().reshape(self.bias.shape))
        self.log_scale.copy_(std.add(1e-6).log().neg().reshape(self.log_scale.shape))
        self.initialized = True

    def forward(self, x):
        if torch.is_grad_enabled() and not self.initialized:
            self._initialize(x)
        z = (x + self.bias) * torch.exp(self.log_scale)
        return z, per_pixel_log_det(self.log_scale.sum(), x)

    def inverse(self, z):
        x = z * torch.exp(-self.log_scale) - self.bias
        return x, -per_pixel_log_det(self.log_scale.sum(), z)


class InvertibleConv1x1(nn.Module):
    """InvertibleConv1x1 in LU form, W = P L U, from the LU factors of a random rotation."""

    def __init__(self, channels):
        super().__init__()
        perm, lower, upper = torch.linalg.lu(torch.linalg.qr(torch.randn(channels, channels))[0])
        diagonal = upper.diagonal()
        self.lower = nn.Parameter(lower.tril(-1))
        self.upper = nn.Parameter(upper.triu(1))
        self.log_abs_s = nn.Parameter(diagonal.abs().log())
        ones = torch.ones(channels, channels)
        self.register_buffer("perm", perm)
        self.register_buffer("sign", diagonal.sign())
        self.register_buffer("lower_mask", ones.tril(-1))
        self.register_buffer("upper_mask", ones.triu(1))
        self.register_buffer("eye", torch.eye(channels))

    def _weight(self):
        lower = self.lower * self.lower_mask + self.eye
        s = torch.exp(self.log_abs_s) * self.sign
        upper = self.upper * self.upper_mask + self.eye * s.reshape(1, -1)
        return self.perm.matmul(lower).matmul(upper)

    @staticmethod
    def _mix(x, w):
        return x.permute(0, 2, 3, 1).matmul(w.t()).permute(0, 3, 1, 2)

    def forward(self, x):
        return self._mix(x, self._weight()), per_pixel_log_det(self.log_abs_s.sum(), x)

    def inverse(self, z):
        w_inv = torch.inverse(self._weight())
        return self._mix(z, w_inv), -per_pixel_log_det(self.log_abs_s.sum(), z)


def squeeze(x):
    """Squeeze.squeeze: (B, C, H, W) -> (B, 4C, H/2, W/2)."""
    b, c, h, w = x.shape
    return x.reshape(b, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4).reshape(
        b, 4 * c, h // 2, w // 2)


def unsqueeze(z):
    """Squeeze.unsqueeze: (B, 4C, H, W) -> (B, C, 2H, 2W)."""
    b, c, h, w = z.shape
    return z.reshape(b, c // 4, 2, 2, h, w).permute(0, 1, 4, 2, 5, 3).reshape(
        b, c // 4, 2 * h, 2 * w)


class MultiScale(nn.Module):
    """MultiScaleFlow of post-squeeze levels: squeeze, level, split (but the last), unsqueeze."""

    def __init__(self, levels):
        super().__init__()
        self.levels = nn.ModuleList(levels)

    def forward(self, x, i=0):
        y, log_det = self.levels[i](squeeze(x))
        if i < len(self.levels) - 1:
            half = y.shape[1] // 2
            z1, ld = self.forward(y[:, :half], i + 1)
            log_det = log_det + ld
            y = torch.cat((z1, y[:, half:]), 1)
        return unsqueeze(y), log_det

    def inverse(self, z, i=0):
        y, log_det = squeeze(z), None
        if i < len(self.levels) - 1:
            half = y.shape[1] // 2
            z1, log_det = self.inverse(y[:, :half], i + 1)
            y = torch.cat((z1, y[:, half:]), 1)
        y, ld = self.levels[i].inverse(y)
        return unsqueeze(y), ld if log_det is None else log_det + ld


def glow(dim, depth, image=GLOW_IMAGE):
    """Glow.builder(): GLOW_LEVELS levels of `depth` steps at HIDDEN[0] channels; dim ignored."""
    c, h, w = image
    levels = []
    for _ in range(GLOW_LEVELS):
        c, h, w = 4 * c, h // 2, w // 2
        steps = []
        for _ in range(depth):
            steps += [ActNorm(c), InvertibleConv1x1(c),
                      Coupling((c, h, w), False, conv_net(c, 2 * c, HIDDEN[0]), Affine())]
        levels.append(Sequence(steps))
        c //= 2
    return Flow([MultiScale(levels)], image)


FAMILIES = {"realnvp": realnvp, "maf": maf, "iaf": iaf, "nsf": nsf, "glow": glow}


def parameter_count(flow):
    return sum(p.numel() for p in flow.parameters() if p.requires_grad)


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


def self_check():
    """Checks every family in float64 and prints the parameter counts; returns an exit status."""
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float64)
    cases = [(f"{family} dim={dim} depth=3", FAMILIES[family](dim, 3))
             for family in ("realnvp", "maf", "iaf", "nsf") for dim in (2, 5)]
    passed = [check_flow(name, flow) for name, flow in cases]
    with conditioner_pass("blockwise"):
        passed += [check_flow(f"{family} dim={dim} depth=3 block-wise", FAMILIES[family](dim, 3))
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
    for family in FAMILIES:
        counts = [f"dim={dim}: {parameter_count(FAMILIES[family](dim, 8))}" for dim in (2, 64)]
        print(f"parameters {family:<8} depth=8  " + "  ".join(counts))
    return 0 if all(passed) else 1


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
    ap.add_argument("--masked", action="store_true",
                    help="couplings always take the masked pass (no block-wise MLP)")
    ap.add_argument("--self-check", action="store_true",
                    help="float64 inverse and log-det checks of every family, parameter counts")
    args = ap.parse_args()
    if args.self_check:
        sys.exit(self_check())

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    if args.masked:
        Coupling.conditioner_pass = "masked"
    torch.manual_seed(42)
    flow = FAMILIES[args.family](args.dim, args.depth)
    adam = torch.optim.Adam(flow.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8,
                            foreach=args.foreach or None)
    x = torch.randn(args.batch, *flow.event)

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
            "parameters": parameter_count(flow), "conditioner_pass": Coupling.conditioner_pass,
        })
    text = json.dumps(results, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
