"""The flows of the PyTorch peer of flows-bench (torch_flows.py), one module per family.

flow            FlowSequence, NormalizingFlow (standard-normal base), ReversePermutation, the
                reversed stacks of maf, iaf and nsf, parameter counts
coupling        the MLP conditioner, AffineBijection, CouplingFlow (kept half in, transformed half's parameters out)
realnvp         realnvp: affine couplings
autoregressive  maf and iaf: MaskedLinear, MADE, MaskedAutoregressiveFlow, its inverse
spline          nsf: the rational-quadratic spline and its couplings
glow            glow: ActNorm, InvertibleConv1x1, squeeze, MultiScaleFlow
selfcheck       --self-check: float64 inverse and log-det checks of every family, natural vs masked couplings

Each family's module docstring says layer for layer how it mirrors its flows-core builder.
"""
