"""PyTorch peer of cases/mlp-statsville.mjs and cases/mlp-784.mjs: the same inputs -> hidden -> classes
MLP (nn.Linear layers with Xavier-uniform weights and zero biases), CrossEntropyLoss, optim.Adam, one
minibatch per step, on one thread. Batches are slices of the dataset tensor (views: no copy), the
idiomatic PyTorch loop. `inputs` and `classes` default to Statsville's 2 and 3.
"""
import sys

from protocol import serve


def setup(config):
    import numpy as np
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(1)
    samples, batch, hidden, lr = config["samples"], config["batch"], config["hidden"], config["lr"]
    inputs, classes = config.get("inputs", 2), config.get("classes", 3)
    raw = np.fromfile(config["data"], dtype=np.uint8)
    x_bytes = 4 * inputs * samples
    x = torch.from_numpy(raw[:x_bytes].view(np.float32).reshape(samples, inputs).copy())
    y = torch.from_numpy(raw[x_bytes : x_bytes + 4 * samples].view(np.int32).astype(np.int64))
    model = torch.nn.Sequential(torch.nn.Linear(inputs, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, classes))
    for layer in (model[0], model[2]):
        torch.nn.init.xavier_uniform_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
    loss_fn = torch.nn.CrossEntropyLoss()
    # foreach=False is already the CPU default; explicit so that a future default cannot change the peer.
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, foreach=False)
    batches = samples // batch
    position = [0]

    def run(steps):
        k = position[0]
        for _ in range(steps):
            start = k * batch
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[start : start + batch]), y[start : start + batch])
            loss.backward()
            optimizer.step()
            k = k + 1 if k + 1 < batches else 0
        position[0] = k

    info = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "python": sys.version.split()[0],
        "blas": "mkl" if torch.backends.mkl.is_available() else "other",
    }
    return info, run


serve(setup)
