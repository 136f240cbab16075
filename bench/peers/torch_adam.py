"""PyTorch peer of cases/adam-4m.mjs: optim.Adam applying a fixed gradient to one float32 tensor of n
parameters, on one thread. argv[2] picks the implementation: `single` (foreach=False, the per-tensor
loop src/optim follows), `foreach` or `fused` (one fused CPU kernel).
"""
import sys

from protocol import serve


def setup(config):
    import torch

    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(1)
    n, lr = config["parameters"], config["lr"]
    weights = torch.nn.Parameter(torch.rand(n, generator=generator) * 0.2 - 0.1)
    weights.grad = torch.rand(n, generator=generator) * 0.02 - 0.01
    mode = sys.argv[2] if len(sys.argv) > 2 else "single"
    options = {"single": {"foreach": False}, "foreach": {"foreach": True}, "fused": {"fused": True}}[mode]
    optimizer = torch.optim.Adam([weights], lr=lr, betas=(0.9, 0.999), eps=1e-8, **options)

    def run(steps):
        with torch.no_grad():
            for _ in range(steps):
                optimizer.step()

    return {"torch": torch.__version__, "threads": torch.get_num_threads(), "mode": mode}, run


serve(setup)
