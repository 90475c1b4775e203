"""glow: Glow on images, as flows-core's Glow.builder() builds it (BenchModels' glow).

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
"""

import torch
from torch import nn

from .coupling import HIDDEN, Affine, Coupling, split_sizes
from .flow import Flow, Sequence

GLOW_IMAGE = (1, 28, 28)
GLOW_LEVELS = 2


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
        kept, transformed = split_sizes(c, False)
        for _ in range(depth):
            steps += [ActNorm(c), InvertibleConv1x1(c),
                      Coupling((c, h, w), False, conv_net(kept, 2 * transformed, HIDDEN[0]),
                               Affine())]
        levels.append(Sequence(steps))
        c //= 2
    return Flow([MultiScale(levels)], image)
