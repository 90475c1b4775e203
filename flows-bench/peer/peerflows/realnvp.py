"""realnvp: RealNVP as flows-core's RealNvp.builder() builds it (BenchModels' realnvp).

realnvp  `depth` affine couplings (flows-core CouplingFlow + AffineBijection, as RealNvp.builder()
         builds them): alternating HALF masks (the first ceil(D/2) features condition; odd layers
         invert the mask); conditioner MLP from the kept half: ceil(D/2) (or floor(D/2)) -> 64 ->
         ReLU -> 64 -> ReLU -> 2 x transformed, zero last layer, parameter-major: the shifts then
         the raw log-scales of the transformed block (ElementwiseBijection.cut); s = 3 tanh(raw /
         3); z = concat(kept block, x exp(s) + t in the transformed block); log-det = sum(s);
         standard-normal base; loss = -mean(log p(x)); Adam(lr 1e-3, betas 0.9/0.999, eps 1e-8).
         (DJL's Adam folds the bias corrections into the step size, so eps sits at a slightly
         different place than torch's; same work per step.)
"""

from .coupling import Affine, Coupling, mlp, split_sizes
from .flow import Flow


def coupling(dim, invert):
    kept, transformed = split_sizes(dim, invert)
    return Coupling((dim,), invert, mlp(kept, 2 * transformed), Affine())


def realnvp(dim, depth):
    return Flow([coupling(dim, i % 2 == 1) for i in range(depth)], (dim,))
