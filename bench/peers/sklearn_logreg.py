"""scikit-learn peer of cases/logreg-large.mjs: SGDClassifier(loss='log_loss', learning_rate='constant',
eta0=lr) trained with partial_fit, one call per batch. Batches are row slices of one float64
C-contiguous array (the dtype sklearn computes in, so no conversion is timed); classes=[0, 1] is
passed on the first call, made during setup.
"""
import sys

from large_data import read_large
from protocol import serve


def setup(config):
    import numpy as np
    import sklearn
    from sklearn.linear_model import SGDClassifier

    samples, features, batch, lr = config["samples"], config["features"], config["batch"], config["lr"]
    x32, y32 = read_large(config["data"], samples, features)
    x = np.ascontiguousarray(x32, dtype=np.float64)
    y = y32.astype(np.int64)
    model = SGDClassifier(loss="log_loss", learning_rate="constant", eta0=lr)
    model.partial_fit(x[:batch], y[:batch], classes=np.array([0, 1]))
    batches = samples // batch
    position = [1 % batches]

    def run(steps):
        k = position[0]
        partial_fit = model.partial_fit
        for _ in range(steps):
            start = k * batch
            partial_fit(x[start : start + batch], y[start : start + batch])
            k = k + 1 if k + 1 < batches else 0
        position[0] = k

    return {"sklearn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}, run


serve(setup)
