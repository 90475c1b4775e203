"""realnvp: RealNVP as flows-core's RealNvp.builder() builds it (BenchModels' realnvp).

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
         consecutive block-wise couplings pass their two blocks on without joining
         (Sequence._chain, as FlowSequence);
         standard-normal base; loss = -mean(log p(x)); Adam(lr 1e-3, betas 0.9/0.999, eps 1e-8).
         (DJL's Adam folds the bias corrections into the step size, so eps sits at a slightly
         different place than torch's; same work per step.)
"""

from .coupling import Affine, Coupling, mlp
from .flow import Flow


def realnvp(dim, depth):
    return Flow([Coupling((dim,), i % 2 == 1, mlp(dim, 2 * dim), Affine()) for i in range(depth)],
                (dim,))
