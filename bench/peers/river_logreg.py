"""River peer of cases/logreg-large.mjs: linear_model.LogisticRegression(optimizer=optim.SGD(lr)).

argv[2] picks the API: `learn_one` (one dict of named features per sample, as River users feed it; a
unit of work is one batch of that many learn_one calls), `learn_one_scaled` (the same behind River's
preprocessing.StandardScaler: the "scaled logistic regression" River's docs build and issue 8 names),
or `learn_many` (one pandas DataFrame per batch, River's mini-batch API; needs pandas, skipped without
it). Inputs are built before timing.
"""
import sys

from large_data import read_large
from protocol import serve


def setup(config):
    from river import linear_model, optim, preprocessing

    mode = sys.argv[2] if len(sys.argv) > 2 else "learn_one"
    samples, features, batch, lr = config["samples"], config["features"], config["batch"], config["lr"]
    x, y = read_large(config["data"], samples, features)
    names = [f"x{j}" for j in range(features)]
    model = linear_model.LogisticRegression(optimizer=optim.SGD(lr))
    if mode == "learn_one_scaled":
        model = preprocessing.StandardScaler() | model
    batches = samples // batch
    position = [0]

    if mode in ("learn_one", "learn_one_scaled"):
        rows = [dict(zip(names, map(float, row))) for row in x[: batches * batch]]
        labels = [bool(label) for label in y[: batches * batch]]

        def run(steps):
            k = position[0]
            learn_one = model.learn_one
            for _ in range(steps):
                start = k * batch
                for i in range(start, start + batch):
                    learn_one(rows[i], labels[i])
                k = k + 1 if k + 1 < batches else 0
            position[0] = k

    else:
        import pandas as pd

        frames = [pd.DataFrame(x[k * batch : (k + 1) * batch].astype(float), columns=names) for k in range(batches)]
        targets = [pd.Series(y[k * batch : (k + 1) * batch].astype(bool)) for k in range(batches)]

        def run(steps):
            k = position[0]
            for _ in range(steps):
                model.learn_many(frames[k], targets[k])
                k = k + 1 if k + 1 < batches else 0
            position[0] = k

    import river

    return {"river": river.__version__, "mode": mode, "python": sys.version.split()[0]}, run


serve(setup)
