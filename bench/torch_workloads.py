#!/usr/bin/python3
"""The PyTorch side of mxai-bench: the same workloads, shapes, units and timing rules, one JSON line each.

    /usr/bin/python3 bench/torch_workloads.py                    # every workload, 7 timed reps
    /usr/bin/python3 bench/torch_workloads.py --quick            # 3 timed reps
    /usr/bin/python3 bench/torch_workloads.py --only 'conv2d_*,taig_step' --reps 11
    /usr/bin/python3 bench/torch_workloads.py --list

Run it with Debian's /usr/bin/python3 (python3-torch 1.13, oneDNN, OpenBLAS from libopenblas0-pthread); the
python3 on PATH may have no torch. scripts/compare_torch.sh runs it next to mxai-bench.

Timing, per workload: torch.manual_seed(0), untimed setup (random data and freshly initialised weights), one
warm-up call, then `reps` timed calls of one rep (time.perf_counter). value = items_per_rep / median rep time.
stdout: one JSON object per workload with workload, unit, value, median_s, reps, items_per_rep, min_s, max_s,
config, threads, blas_threads. stderr: progress and the numerical checks.

The settings are those of the PyTorch anchor kept outside the project (torch_bench.py, "tuned" config), so the
numbers of both scripts can be compared:
- glibc malloc is told to keep freed memory in the process (the script re-execs itself once with MALLOC_*
  variables). Page faults are expensive in this VM; returning big blocks to the kernel after every free costs
  up to 40x on some convolutions.
- Debian's OpenBLAS is the pthreads build: called from inside PyTorch's 2-thread OpenMP pool it would start 2
  more spinning threads on the 2 cores. It gets 1 thread, except for the bare GEMM sgemm_2048, which gets 2.
- torch.set_num_threads(2).

decoder_jacobian has several PyTorch variants (decoder_jacobian_*); compare_torch.sh takes the fastest of all
but the slow functional reverse mode. conv2d_backward_input and conv2d_backward_weight time the two halves of
conv2d_backward apart.
"""
import argparse
import ctypes
import fnmatch
import json
import os
import platform
import statistics
import sys
import time

MALLOC_ENV = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(16 << 30), "MALLOC_TOP_PAD_": str(256 << 20)}
if any(os.environ.get(key) != value for key, value in MALLOC_ENV.items()):
    os.environ.update(MALLOC_ENV)
    os.execv(sys.executable, [sys.executable] + sys.argv)  # malloc reads these only at start-up

try:
    import torch
except ImportError:
    sys.exit("torch_workloads.py: no torch here; run it with /usr/bin/python3 (apt-get install python3-torch)")
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import forward_ad

THREADS = 2
SEED = 0
PIXELS, LATENT, POINTS = 1024, 10, 64  # 1x32x32 images, VAE latent size, latent points of decoder_jacobian


def log(message):
    print(message, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------- OpenBLAS threads

def load_openblas():
    """The OpenBLAS library torch has loaded (found in /proc/self/maps), or None."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "openblas" in line}
    for path in sorted(paths):
        lib = ctypes.CDLL(path)
        if hasattr(lib, "openblas_set_num_threads"):
            return lib
    return None


OPENBLAS = load_openblas()


def blas_threads(n=None):
    """Sets OpenBLAS's thread count if n is given; returns it (None without OpenBLAS)."""
    if OPENBLAS is None:
        return None
    if n is not None:
        OPENBLAS.openblas_set_num_threads(n)
    return OPENBLAS.openblas_get_num_threads()


# ----------------------------------------------------------------------------------------------- models

class LeNet(nn.Module):
    """Bordt et al.'s MNIST32 classifier, with mxai's parameter names. smooth: Softplus(beta 10) for ReLU (TAIG)."""

    def __init__(self, smooth=False):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)         # -> 32x30x30
        self.conv2 = nn.Conv2d(32, 64, 3)        # -> 64x28x28, max-pooled to 64x14x14
        self.fc1 = nn.Linear(64 * 14 * 14, 128)
        self.fc2 = nn.Linear(128, 10)
        self.act = (lambda t: F.softplus(t, beta=10)) if smooth else F.relu

    def forward(self, x):
        h = F.max_pool2d(self.act(self.conv2(self.act(self.conv1(x)))), 2)
        h = F.dropout(h, 0.25, self.training).flatten(1)
        h = F.dropout(self.act(self.fc1(h)), 0.5, self.training)
        return self.fc2(h)


class Decoder(nn.Module):
    """Burgess et al.'s VAE decoder: latent 10 -> 256 -> 256 -> 32x4x4 -> 32x8x8 -> 32x16x16 -> 1x32x32, sigmoid."""

    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(LATENT, 256), nn.Linear(256, 256), nn.Linear(256, 512)
        self.deconv1 = nn.ConvTranspose2d(32, 32, 4, 2, 1)
        self.deconv2 = nn.ConvTranspose2d(32, 32, 4, 2, 1)
        self.deconv3 = nn.ConvTranspose2d(32, 1, 4, 2, 1)

    def forward(self, z):
        h = F.relu(self.fc3(F.relu(self.fc2(F.relu(self.fc1(z))))))
        h = F.relu(self.deconv1(h.reshape(h.shape[0], 32, 4, 4)))
        return torch.sigmoid(self.deconv3(F.relu(self.deconv2(h))))


class BurgessVAE(nn.Module):
    """Burgess et al.'s beta-VAE for 1x32x32 images: three stride-2 convs and three linears, then the decoder."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 32, 4, 2, 1), nn.ReLU(),
            nn.Conv2d(32, 32, 4, 2, 1), nn.ReLU(), nn.Flatten(),
            nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2 * LATENT))
        self.decoder = Decoder()

    def forward(self, x):
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        return self.decoder(z), mu, logvar


def frozen(model):
    """The model in eval mode with no parameter gradients (the explanation workloads)."""
    for p in model.parameters():
        p.requires_grad_(False)
    return model.eval()


# ----------------------------------------------------------------------------------------------- workloads
# Each workload function sets up its data and returns (rep, items_per_rep, unit) or (rep, items, unit, warm_up).

WORKLOADS = {}


def workload(name):
    def register(fn):
        WORKLOADS[name] = fn
        return fn
    return register


@workload("sgemm_2048")
def sgemm_2048():
    """10 products of two 2048x2048 float matrices into a preallocated output (GFLOPS)."""
    n, count = 2048, 10
    a, b = torch.randn(n, n), torch.randn(n, n)
    c = torch.empty(n, n)

    def rep():
        for _ in range(count):
            torch.mm(a, b, out=c)
    return rep, count * 2.0 * n ** 3 / 1e9, "GFLOPS"


# LeNet's conv2 on a training batch: x (128,32,30,30), w (64,32,3,3), bias (64) -> y (128,64,28,28).
CONV_GFLOP = 2.0 * 128 * 64 * 28 * 28 * 32 * 3 * 3 / 1e9


def conv_case():
    x = torch.rand(128, 32, 30, 30)
    w = (torch.rand(64, 32, 3, 3) - 0.5) * 0.12
    b = (torch.rand(64) - 0.5) * 0.12
    return x, w, b


def conv_backward(grad_x, grad_wb):
    """2 gradient passes of the LeNet conv2 off a retained graph; each gradient taken counts the forward's FLOP."""
    x, w, b = conv_case()
    x.requires_grad_(grad_x)
    w.requires_grad_(grad_wb)
    b.requires_grad_(grad_wb)
    y = F.conv2d(x, w, b)
    gy = torch.randn_like(y)
    wanted = ([x] if grad_x else []) + ([w, b] if grad_wb else [])

    def rep():
        for _ in range(2):
            torch.autograd.grad(y, wanted, gy, retain_graph=True)
    return rep, 2 * (int(grad_x) + int(grad_wb)) * CONV_GFLOP, "GFLOPS"


@workload("conv2d_forward")
def conv2d_forward():
    """4 forward passes of the LeNet conv2 with bias, no grad (GFLOPS)."""
    x, w, b = conv_case()

    def rep():
        with torch.no_grad():
            for _ in range(4):
                F.conv2d(x, w, b)
    return rep, 4 * CONV_GFLOP, "GFLOPS"


@workload("conv2d_backward")
def conv2d_backward():
    """Input, weight and bias gradients of the conv, 2 passes; FLOP = 2x the forward per pass (GFLOPS)."""
    return conv_backward(grad_x=True, grad_wb=True)


@workload("conv2d_backward_input")
def conv2d_backward_input():
    """Only the input gradient of the conv (x alone requires grad), 2 passes; FLOP = the forward's (GFLOPS)."""
    return conv_backward(grad_x=True, grad_wb=False)


@workload("conv2d_backward_weight")
def conv2d_backward_weight():
    """Only the weight and bias gradients of the conv (x needs none), 2 passes; FLOP = the forward's (GFLOPS)."""
    return conv_backward(grad_x=False, grad_wb=True)


@workload("classifier_train_step")
def classifier_train_step():
    """4 LeNet training steps on a batch of 128, train mode, cross-entropy, Adam lr 1e-4 (images/s)."""
    batch, steps = 128, 4
    model = LeNet().train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    x, y = torch.rand(batch, 1, 32, 32), torch.randint(0, 10, (batch,))

    def rep():
        for _ in range(steps):
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y).backward()
            opt.step()
    return rep, batch * steps, "images/s"


@workload("vae_train_step")
def vae_train_step():
    """10 VAE steps on a batch of 128: encode, reparameterise, decode, BCE sum / B + KL / B, Adam 5e-4 (images/s)."""
    batch, steps = 128, 10
    vae = BurgessVAE().train()
    opt = torch.optim.Adam(vae.parameters(), lr=5e-4)
    x = torch.rand(batch, 1, 32, 32)

    def rep():
        for _ in range(steps):
            opt.zero_grad(set_to_none=True)
            x_hat, mu, logvar = vae(x)
            bce = F.binary_cross_entropy(x_hat, x, reduction="sum")
            kl = -0.5 * (1 + logvar - mu * mu - logvar.exp()).sum()
            ((bce + kl) / batch).backward()
            opt.step()
    return rep, batch * steps, "images/s"


def explainer(per_image):
    """A rep explaining 64 images with per_image(model, x, cls) after one batch-64 forward for the predicted
    classes; warm-up on 4 images."""
    model = frozen(LeNet())
    images = torch.rand(64, 1, 32, 32)
    out = torch.empty_like(images)

    def explain(n):
        with torch.no_grad():
            classes = model(images).argmax(1)
        for i in range(n):
            out[i] = per_image(model, images[i:i + 1], classes[i])
    return (lambda: explain(64)), 64, "attributions/s", (lambda: explain(4))


@workload("integrated_gradients")
def integrated_gradients():
    """IG of the predicted class, zero baseline, Riemann-middle rule with 50 steps in one batch (attributions/s)."""
    steps = 50
    t = ((torch.arange(steps, dtype=torch.float32) + 0.5) / steps).view(steps, 1, 1, 1)

    def ig(model, x, cls):
        path = (t * x).requires_grad_()
        g, = torch.autograd.grad(model(path)[:, cls].sum(), path)
        return (x * g.mean(0, keepdim=True))[0]
    return explainer(ig)


@workload("smoothgrad")
def smoothgrad():
    """SmoothGrad of the predicted class: mean gradient over 25 samples x + 0.02 N(0,1) in one batch
    (attributions/s)."""
    samples, sigma = 25, 0.02

    def sg(model, x, cls):
        noisy = (x + sigma * torch.randn(samples, 1, 32, 32)).requires_grad_()
        g, = torch.autograd.grad(model(noisy)[:, cls].sum(), noisy)
        return g.mean(0)
    return explainer(sg)


# --- decoder_jacobian: the 1024x10 Jacobian dx/dz of the VAE decoder at 64 latent points, several ways (jacobians/s)

def decoder_and_points():
    torch.manual_seed(SEED)
    decoder = frozen(BurgessVAE().decoder)  # the full VAE is built so the decoder's weights match the anchor's
    return decoder, torch.randn(POINTS, LATENT)


def per_point_jacobian(decoder, z, **kwargs):
    """torch.autograd.functional.jacobian of the flattened decoder output at one latent point z (10,)."""
    return torch.autograd.functional.jacobian(lambda v: decoder(v[None]).flatten(), z, vectorize=True, **kwargs)


def jacobian_reverse(decoder, Z):
    """(a) functional.jacobian in reverse mode, one point per call."""
    return torch.stack([per_point_jacobian(decoder, z) for z in Z])


def jacobian_forward(decoder, Z):
    """(b) forward-mode AD: every point with each of the 10 unit tangents, one dual batch of 640."""
    with torch.no_grad(), forward_ad.dual_level():
        dual = forward_ad.make_dual(Z.repeat_interleave(LATENT, 0), torch.eye(LATENT).repeat(len(Z), 1))
        tangent = forward_ad.unpack_dual(decoder(dual)).tangent
    return tangent.reshape(len(Z), LATENT, PIXELS).transpose(1, 2)


def jacobian_forward_per_point(decoder, Z):
    """(b') forward-mode AD, one dual batch of 10 tangents per point."""
    eye = torch.eye(LATENT)
    J = torch.empty(len(Z), PIXELS, LATENT)
    with torch.no_grad(), forward_ad.dual_level():
        for i, z in enumerate(Z):
            out = decoder(forward_ad.make_dual(z.repeat(LATENT, 1), eye))
            J[i] = forward_ad.unpack_dual(out).tangent.reshape(LATENT, PIXELS).t()
    return J


def jacobian_forward_functional(decoder, Z):
    """(b'') functional.jacobian with strategy="forward-mode" (vmapped JVPs), one point per call."""
    return torch.stack([per_point_jacobian(decoder, z, strategy="forward-mode") for z in Z])


def jacobian_batched_reverse(decoder, Z, chunk=4):
    """(c) reverse mode by hand, no autograd: one forward of all points, then the 1024 one-hot cotangents of
    `chunk` points at a time go back through the layers (ConvTranspose2d's VJP is F.conv2d, Linear's is g @ W)."""
    d = decoder
    J = torch.empty(len(Z), PIXELS, LATENT)
    with torch.no_grad():
        a1 = F.relu(d.fc1(Z))
        a2 = F.relu(d.fc2(a1))
        a3 = F.relu(d.fc3(a2))
        c1 = F.relu(d.deconv1(a3.reshape(-1, 32, 4, 4)))
        c2 = F.relu(d.deconv2(c1))
        x = torch.sigmoid(d.deconv3(c2)).reshape(-1, PIXELS)
        eye = torch.eye(PIXELS)
        for s in range(0, len(Z), chunk):
            p = slice(s, s + chunk)
            n = x[p].shape[0]
            g = eye * (x[p] * (1 - x[p]))[:, None, :]                      # sigmoid': n x 1024 cotangents
            g = F.conv2d(g.reshape(n * PIXELS, 1, 32, 32), d.deconv3.weight, stride=2, padding=1)
            g = g.reshape(n, PIXELS, 32, 16, 16) * (c2[p] > 0)[:, None]
            g = F.conv2d(g.reshape(n * PIXELS, 32, 16, 16), d.deconv2.weight, stride=2, padding=1)
            g = g.reshape(n, PIXELS, 32, 8, 8) * (c1[p] > 0)[:, None]
            g = F.conv2d(g.reshape(n * PIXELS, 32, 8, 8), d.deconv1.weight, stride=2, padding=1)
            g = g.reshape(n, PIXELS, 512) * (a3[p] > 0)[:, None]
            g = (g @ d.fc3.weight) * (a2[p] > 0)[:, None]
            g = (g @ d.fc2.weight) * (a1[p] > 0)[:, None]
            J[p] = g @ d.fc1.weight
    return J


def jacobian_double_vjp(decoder, Z):
    """(d) reverse over reverse: g(v) = v^T J with create_graph, then the gradient of g . e_k w.r.t. v is J e_k;
    640 directions in one batch."""
    z = Z.repeat_interleave(LATENT, 0).requires_grad_()
    x = decoder(z).reshape(len(z), PIXELS)
    v = torch.zeros_like(x, requires_grad=True)
    vjp, = torch.autograd.grad(x, z, v, create_graph=True)
    jvp, = torch.autograd.grad(vjp, v, torch.eye(LATENT).repeat(len(Z), 1))
    return jvp.reshape(len(Z), LATENT, PIXELS).transpose(1, 2)


def decoder_workload(name, method):
    """All 64 points by `method`, after checking its first 2 Jacobians against (a) on stderr."""
    decoder, Z = decoder_and_points()
    J, ref = method(decoder, Z)[:2], jacobian_reverse(decoder, Z[:2])
    log(f"[check] {name}: max|J - J_reverse| = {(J - ref).abs().max().item():.3e}"
        f"  (max|J_reverse| = {ref.abs().max().item():.3e}, first 2 points)")
    return (lambda: method(decoder, Z)), POINTS, "jacobians/s"


@workload("decoder_jacobian_reverse")
def decoder_jacobian_reverse():
    """(a), slow: each rep takes the first 8 of the 64 points (jacobians/s); warm-up on 1 point."""
    decoder, Z = decoder_and_points()
    return (lambda: jacobian_reverse(decoder, Z[:8])), 8, "jacobians/s", (lambda: jacobian_reverse(decoder, Z[:1]))


@workload("decoder_jacobian_forward")
def decoder_jacobian_forward():
    """(b) forward-mode AD, one dual batch of 640 (jacobians/s)."""
    return decoder_workload("decoder_jacobian_forward", jacobian_forward)


@workload("decoder_jacobian_forward_per_point")
def decoder_jacobian_forward_per_point():
    """(b') forward-mode AD, 64 dual batches of 10 (jacobians/s)."""
    return decoder_workload("decoder_jacobian_forward_per_point", jacobian_forward_per_point)


@workload("decoder_jacobian_forward_functional")
def decoder_jacobian_forward_functional():
    """(b'') vmapped forward-mode functional.jacobian per point (jacobians/s)."""
    return decoder_workload("decoder_jacobian_forward_functional", jacobian_forward_functional)


@workload("decoder_jacobian_batched_reverse")
def decoder_jacobian_batched_reverse():
    """(c) hand-written batched reverse pass (jacobians/s)."""
    return decoder_workload("decoder_jacobian_batched_reverse", jacobian_batched_reverse)


@workload("decoder_jacobian_double_vjp")
def decoder_jacobian_double_vjp():
    """(d) double-VJP trick (jacobians/s)."""
    return decoder_workload("decoder_jacobian_double_vjp", jacobian_double_vjp)


@workload("pgd_adversarial_train_step")
def pgd_adversarial_train_step():
    """l2 PGD (eps 2, 7 steps of 2.5 eps / 7, no random start, eval mode, input gradient only) on a batch of 128,
    then one train-mode Adam step (lr 1e-4) on the adversarial batch (images/s)."""
    batch, eps, steps = 128, 2.0, 7
    step_size = 2.5 * eps / steps
    model = LeNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    x, y = torch.rand(batch, 1, 32, 32), torch.randint(0, 10, (batch,))

    def norms(t):
        return t.flatten(1).norm(dim=1).clamp_min(1e-12).view(-1, 1, 1, 1)

    def rep():
        model.eval()
        x_adv = x.clone()
        for _ in range(steps):
            x_adv.requires_grad_()
            g, = torch.autograd.grad(F.cross_entropy(model(x_adv), y), x_adv)
            with torch.no_grad():
                delta = x_adv + step_size * g / norms(g) - x
                delta = delta * (eps / norms(delta)).clamp(max=1.0)    # back onto the l2 ball of radius eps
                x_adv = (x + delta).clamp(0.0, 1.0)
        model.train()
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x_adv), y).backward()
        opt.step()
    return rep, batch, "images/s"


@workload("taig_step")
def taig_step():
    """20 TAIG base-point steps: frozen smooth LeNet, 32 path points alpha + t (x - alpha), create_graph gradient,
    IG, mu = |U^T IG| / |IG| (U: QR-orthonormal 1024x10), (-mu).backward() (double backward), Adam lr 1e-2 on
    alpha (steps/s)."""
    m, k, steps = 32, 10, 20
    model = frozen(LeNet(smooth=True))
    x = torch.rand(1, 1, 32, 32)
    U = torch.linalg.qr(torch.randn(PIXELS, k))[0]
    with torch.no_grad():
        cls = model(x).argmax(1).item()
    t = ((torch.arange(m, dtype=torch.float32) + 0.5) / m).view(m, 1, 1, 1)
    alpha = (0.1 * torch.rand(1, 1, 32, 32)).requires_grad_()
    opt = torch.optim.Adam([alpha], lr=1e-2)

    def step():
        opt.zero_grad(set_to_none=True)
        path = alpha + t * (x - alpha)
        g, = torch.autograd.grad(model(path)[:, cls].sum(), path, create_graph=True)
        ig = ((x - alpha) * g.mean(0, keepdim=True)).flatten()
        mu = (U.t() @ ig).norm() / ig.norm()
        (-mu).backward()
        opt.step()
        return mu.item()

    mu = step()
    log(f"[check] taig_step: mu = {mu:.4f}, |d mu / d alpha| = {alpha.grad.norm().item():.3e}")

    def rep():
        for _ in range(steps):
            step()
    return rep, steps, "steps/s"


# ----------------------------------------------------------------------------------------------- timing

def measure(name, reps):
    """Sets up one workload, warms it up once, times `reps` reps and prints its JSON line."""
    blas_threads(THREADS if name == "sgemm_2048" else 1)
    torch.manual_seed(SEED)
    rep, items, unit, *warm_up = WORKLOADS[name]()
    (warm_up[0] if warm_up else rep)()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        rep()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(json.dumps({"workload": name, "unit": unit, "value": round(items / median, 4),
                      "median_s": round(median, 6), "reps": reps, "items_per_rep": items,
                      "min_s": round(min(times), 6), "max_s": round(max(times), 6), "config": "tuned",
                      "threads": torch.get_num_threads(), "blas_threads": blas_threads()}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, help="timed reps per workload (default 7)")
    parser.add_argument("--quick", action="store_true", help="3 timed reps")
    parser.add_argument("--only", help="comma-separated workload names or fnmatch patterns")
    parser.add_argument("--list", action="store_true", help="print the workload names and exit")
    args = parser.parse_args()
    if args.list:
        print("\n".join(WORKLOADS))
        return
    reps = args.reps or (3 if args.quick else 7)
    if reps < 1:
        sys.exit("torch_workloads.py: --reps must be at least 1")
    names = list(WORKLOADS)
    if args.only:
        patterns = [p.strip() for p in args.only.split(",") if p.strip()]
        names = [n for n in names if any(fnmatch.fnmatchcase(n, p) for p in patterns)]
        if not names:
            sys.exit(f"torch_workloads.py: no workload matches {args.only!r}; --list shows the names")
    torch.set_num_threads(THREADS)
    log(f"torch {torch.__version__}, python {platform.python_version()}, threads {torch.get_num_threads()}, "
        f"reps {reps}, OpenBLAS {'found' if OPENBLAS else 'not found'}")
    total = time.perf_counter()
    for name in names:
        start = time.perf_counter()
        measure(name, reps)
        log(f"  {name}: {time.perf_counter() - start:.1f} s")
    log(f"total {time.perf_counter() - total:.1f} s")


if __name__ == "__main__":
    main()
