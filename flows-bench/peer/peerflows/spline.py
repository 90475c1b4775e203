"""nsf: neural spline flows of the PyTorch peer (BenchModels' nsf).

nsf      `depth` RationalQuadraticCouplings (flows-core Nsf.builder(), COUPLING structure),
         a ReversePermutation between consecutive couplings (every coupling has the same,
         non-inverted HALF mask: the first ceil(D/2) features condition); conditioner MLP
         ceil(D/2) -> 64 -> ReLU -> 64 -> ReLU -> (3K - 1) floor(D/2), zero last layer, on the
         kept half, writing the transformed half's parameters only (as realnvp's).
         Spline (flows-core RationalQuadraticSpline): K = 8 bins on [-3, 3], linear (identity)
         tails; params cut once into K widths, K heights, K - 1 interior derivatives per feature
         (ElementwiseBijection.cut); knots -B + 2B cumsum(1e-3 + (1 - 1e-3 K) softmax(sizes)), the first K - 1
         of them, padded with -B in front and B at the end; derivatives
         softplus(raw + log(expm1(1 - 1e-3))) + 1e-3, padded with 1 at both ends; inside =
         |x| <= B; inputs outside replaced by 0 before the spline math and the identity
         (log-det 0) selected for them; the math on (batch, 1, D) arrays, squeezed at the end;
         bin = number of interior knots <= x (bool comparison summed), then ONE gather from the
         table [knots x; knots y; derivatives] (concatenated along the bin axis) at bin +
         [0, 1, K+1, K+2, 2K+2, 2K+3], split into x_k, x_k+1, y_k, y_k+1, d_k, d_k+1; 1 - theta
         and theta^2 computed once each; inverse by the root 2c / (-b - sqrt(b^2 - 4ac)) with the
         discriminant floored at 1e-30. One conditioner pass per coupling in each direction.
"""

import math

import torch
from torch import nn

from .coupling import Coupling, mlp, split_sizes
from .flow import reversed_stack

NSF_BINS = 8
SPLINE_BOUND = 3.0
SPLINE_MINIMUM = 1e-3  # minimum bin width, bin height (fractions of 2B) and knot derivative
DISCRIMINANT_FLOOR = 1e-30


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
    """RationalQuadraticSpline(K = 8, B = 3, minima 1e-3, linear tails); parameter shapes
    {K, K, K - 1}: widths, heights, derivatives, each (batch, s, features...).

    Written op for op as flows-core's (same operations in the same order), in torch's spelling:
    torch's Python scalars where flows-core uses shared 0-dimensional constants.
    """

    count = 3 * NSF_BINS - 1
    shapes = (NSF_BINS, NSF_BINS, NSF_BINS - 1)
    derivative_shift = math.log(math.expm1(1 - SPLINE_MINIMUM))
    # rows of x_k, x_k+1, y_k, y_k+1, d_k, d_k+1 in the table of K + 1 knots x, y, d, shaped for
    # (batch, K + 1, features) tables: the peer's splines act on vectors
    offsets = torch.tensor([0, 1, NSF_BINS + 1, NSF_BINS + 2, 2 * NSF_BINS + 2,
                            2 * NSF_BINS + 3]).reshape(1, 6, 1)

    def __call__(self, x, p, inverse):
        k, bound, rank = NSF_BINS, SPLINE_BOUND, x.dim() + 1
        widths, heights, raw = p
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
    """RationalQuadraticCoupling: non-inverted HALF mask, MLP conditioner from the kept half,
    3K - 1 per transformed feature."""
    kept, transformed = split_sizes(dim, False)
    return Coupling((dim,), False, mlp(kept, Spline.count * transformed), Spline())


def nsf(dim, depth):
    return reversed_stack(spline_coupling, dim, depth)
