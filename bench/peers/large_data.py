"""Reads the `large` records written by bench/lib/large.mjs: float32 x [n x 30], then int32 y [n]."""


def read_large(path, samples, features):
    import numpy as np

    raw = np.fromfile(path, dtype=np.uint8)
    x = raw[: 4 * features * samples].view(np.float32).reshape(samples, features)
    y = raw[4 * features * samples : 4 * (features + 1) * samples].view(np.int32)
    return x, y
