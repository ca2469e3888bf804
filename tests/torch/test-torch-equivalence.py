#!/usr/bin/python3
"""Neural Lab trains exactly as PyTorch does.

For each configuration below this writes a project whose run is fully determined by the
file (generator "points", explicit "weights", "shuffle": false), trains it for a few
epochs with `neural-lab-cli train --save`, replays the same training in PyTorch (float64,
nn.Linear layers, the same weights, batches and target encoding) and compares every
weight and every epoch's train and test loss to 1e-9 (relative or absolute).

Usage: test-torch-equivalence.py NEURAL-LAB-CLI
Exit status 77 (meson's "skipped") when this Python cannot import torch.
"""

import json
import os
import random
import subprocess
import sys
import tempfile

SKIPPED = 77
TOLERANCE = 1e-9
EPOCHS = 5

try:
    import torch
except ImportError:
    print(f"# skipped: {sys.executable} cannot import torch (install python3-torch)")
    sys.exit(SKIPPED)

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

# The network's inputs, in the engine's mask order whatever order the project lists them.
FEATURE_ORDER = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
ALL_FEATURES = FEATURE_ORDER

# name, problem, classes, features, hidden [(units, activation, alpha)], output activation,
# loss, optimizer settings, batch size, regularization, rate
CONFIGS = [
    dict(name="tanh-tanh-mse-sgd", problem="classification", classes=2,
         features=["x1", "x2"], hidden=[(4, "tanh", None), (3, "tanh", None)],
         output="tanh", loss="mse", optimizer=dict(name="sgd", learning_rate=0.1),
         batch_size=8, regularization="none", rate=0.0),
    dict(name="relu-sigmoid-ce-adam-l2", problem="classification", classes=2,
         features=["x2", "x1", "x1*x2"], hidden=[(5, "relu", None), (3, "relu", None)],
         output="sigmoid", loss="cross_entropy",
         optimizer=dict(name="adam", learning_rate=0.01, beta1=0.9, beta2=0.999,
                        epsilon=1e-8),
         batch_size=7, regularization="l2", rate=0.01),
    dict(name="leaky-softmax3-ce-momentum", problem="classification", classes=3,
         features=["x1", "x2", "sin(x1)", "sin(x2)"], hidden=[(6, "leaky_relu", 0.05)],
         output="softmax", loss="cross_entropy",
         optimizer=dict(name="momentum", learning_rate=0.05, momentum=0.9),
         batch_size=10, regularization="none", rate=0.0),
    dict(name="sigmoid-identity-regression-rmsprop", problem="regression", classes=2,
         features=ALL_FEATURES, hidden=[(5, "sigmoid", None)], output="identity",
         loss="mse", optimizer=dict(name="rmsprop", learning_rate=0.01, alpha=0.9,
                                    epsilon=1e-8),
         batch_size=6, regularization="none", rate=0.0),
    dict(name="tanh-identity-mse-gd-l1", problem="classification", classes=2,
         features=["x1", "x2", "x1^2", "x2^2"], hidden=[(4, "tanh", None)],
         output="identity", loss="mse", optimizer=dict(name="gd", learning_rate=0.1),
         batch_size=10, regularization="l1", rate=0.001),
    dict(name="leaky-softmax4-mse-sgd", problem="classification", classes=4,
         features=["x1", "x2"], hidden=[(8, "leaky_relu", None), (8, "tanh", None)],
         output="softmax", loss="mse", optimizer=dict(name="sgd", learning_rate=0.3),
         batch_size=16, regularization="none", rate=0.0),
    dict(name="linear-sigmoid-mse-adam", problem="classification", classes=2,
         features=["x1", "x2", "x1*x2"], hidden=[], output="sigmoid", loss="mse",
         optimizer=dict(name="adam", learning_rate=0.05, beta1=0.8, beta2=0.99,
                        epsilon=1e-7),
         batch_size=5, regularization="l2", rate=0.05),
]


def make_points(rng, config, count):
    """Points of the plane with a label (class index) or a regression target."""
    import math
    points = []
    for _ in range(count):
        x1, x2 = rng.uniform(-6, 6), rng.uniform(-6, 6)
        if config["problem"] == "regression":
            y = math.sin(x1) * math.cos(x2) * 0.8
        else:
            angle = math.atan2(x2, x1) + math.pi
            y = int(angle / (2 * math.pi) * config["classes"]) % config["classes"]
        points.append([x1, x2, y])
    return points


def make_weights(rng, sizes):
    """[{weight [out][in], bias [out]}] for consecutive layer sizes."""
    layers = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        layers.append({
            "weight": [[rng.uniform(-0.7, 0.7) for _ in range(n_in)] for _ in range(n_out)],
            "bias": [rng.uniform(-0.2, 0.2) for _ in range(n_out)],
        })
    return layers


def output_units(config):
    if config["problem"] == "classification" and config["output"] == "softmax":
        return config["classes"]
    return 1


def make_project(config, seed):
    rng = random.Random(seed)
    hidden = []
    for units, activation, alpha in config["hidden"]:
        layer = {"units": units, "activation": activation}
        if alpha is not None:
            layer["alpha"] = alpha
        hidden.append(layer)
    sizes = [len(config["features"])] + [h[0] for h in config["hidden"]] + [output_units(config)]
    return {
        "format": "neural-lab",
        "version": 1,
        "seed": seed,
        "problem": config["problem"],
        "dataset": {
            "generator": "points",
            "classes": config["classes"],
            "points": make_points(rng, config, 40),
            "test_points": make_points(rng, config, 9),
        },
        "features": config["features"],
        "network": {"hidden": hidden, "output_activation": config["output"],
                    "init": "xavier"},
        "loss": config["loss"],
        "optimizer": config["optimizer"],
        "training": {"batch_size": config["batch_size"], "shuffle": False, "epochs": EPOCHS,
                     "regularization": config["regularization"],
                     "regularization_rate": config["rate"]},
        "weights": make_weights(rng, sizes),
    }


# ---- the same training in PyTorch ----------------------------------------------------

def features_of(points, names):
    p = torch.tensor(points)
    x1, x2 = p[:, 0], p[:, 1]
    columns = {"x1": x1, "x2": x2, "x1^2": x1 * x1, "x2^2": x2 * x2, "x1*x2": x1 * x2,
               "sin(x1)": torch.sin(x1), "sin(x2)": torch.sin(x2)}
    return torch.stack([columns[n] for n in FEATURE_ORDER if n in names], dim=1)


def activation_fn(name, alpha):
    if name == "identity":
        return lambda u: u
    if name == "relu":
        return torch.relu
    if name == "leaky_relu":
        slope = 0.01 if alpha is None else alpha
        return lambda u: torch.nn.functional.leaky_relu(u, slope)
    if name == "sigmoid":
        return torch.sigmoid
    if name == "tanh":
        return torch.tanh
    raise ValueError(name)


class Replica:
    """The project's network, loss and target encoding in PyTorch terms."""

    def __init__(self, project, config):
        self.config = config
        layers = project["weights"]
        self.linears = []
        for layer in layers:
            w = torch.tensor(layer["weight"])
            lin = torch.nn.Linear(w.shape[1], w.shape[0])
            with torch.no_grad():
                lin.weight.copy_(w)
                lin.bias.copy_(torch.tensor(layer["bias"]))
            self.linears.append(lin)
        self.acts = [activation_fn(a, alpha) for _, a, alpha in config["hidden"]]

    def logits(self, x):
        for lin, act in zip(self.linears, self.acts):
            x = act(lin(x))
        return self.linears[-1](x)

    def targets(self, points):
        y = torch.tensor([p[2] for p in points])
        c = self.config
        if c["problem"] == "regression":
            return y.unsqueeze(1)
        if c["output"] == "softmax":
            return y.long() if c["loss"] == "cross_entropy" else \
                torch.nn.functional.one_hot(y.long(), c["classes"]).double()
        if c["output"] == "sigmoid":
            return (y > 0.5).double().unsqueeze(1)
        return torch.where(y > 0.5, 1.0, -1.0).unsqueeze(1)  # tanh, identity: -1/+1

    def loss(self, x, target):
        c = self.config
        u = self.logits(x)
        if c["loss"] == "cross_entropy" and c["output"] == "softmax":
            return torch.nn.functional.cross_entropy(u, target)
        if c["loss"] == "cross_entropy" and c["output"] == "sigmoid":
            return torch.nn.functional.binary_cross_entropy_with_logits(u, target)
        if c["output"] == "softmax":
            z = torch.softmax(u, dim=1)
        else:
            z = activation_fn(c["output"], None)(u)
        return torch.nn.functional.mse_loss(z, target)

    def optimizer(self):
        c = self.config
        o = c["optimizer"]
        weights = [lin.weight for lin in self.linears]
        biases = [lin.bias for lin in self.linears]
        # The engine adds rate·w to the weights' gradients only, never the biases'.
        decay = c["rate"] if c["regularization"] == "l2" else 0.0
        groups = [{"params": weights, "weight_decay": decay},
                  {"params": biases, "weight_decay": 0.0}]
        name = o["name"]
        if name in ("gd", "sgd"):
            return torch.optim.SGD(groups, lr=o["learning_rate"])
        if name == "momentum":
            return torch.optim.SGD(groups, lr=o["learning_rate"], momentum=o["momentum"])
        if name == "rmsprop":
            return torch.optim.RMSprop(groups, lr=o["learning_rate"], alpha=o["alpha"],
                                       eps=o["epsilon"])
        if name == "adam":
            return torch.optim.Adam(groups, lr=o["learning_rate"],
                                    betas=(o["beta1"], o["beta2"]), eps=o["epsilon"])
        raise ValueError(name)

    def add_l1(self):
        if self.config["regularization"] != "l1":
            return
        for lin in self.linears:
            lin.weight.grad += self.config["rate"] * torch.sign(lin.weight.detach())

    def train(self, project, epochs):
        """Trains like the engine; returns the train and test loss after each epoch."""
        c = self.config
        train_points = project["dataset"]["points"]
        test_points = project["dataset"]["test_points"]
        x, t = features_of(train_points, c["features"]), self.targets(train_points)
        xt, tt = features_of(test_points, c["features"]), self.targets(test_points)
        size = len(train_points) if c["optimizer"]["name"] == "gd" else c["batch_size"]
        opt = self.optimizer()
        history = [self.evaluate(x, t, xt, tt)]
        for _ in range(epochs):
            for start in range(0, len(train_points), size):  # a last short batch is kept
                opt.zero_grad()
                self.loss(x[start:start + size], t[start:start + size]).backward()
                self.add_l1()
                opt.step()
            history.append(self.evaluate(x, t, xt, tt))
        return history

    def evaluate(self, x, t, xt, tt):
        with torch.no_grad():
            return self.loss(x, t).item(), self.loss(xt, tt).item()

    def flat_layers(self):
        return [(lin.weight.detach().tolist(), lin.bias.detach().tolist())
                for lin in self.linears]


# ---- comparison ------------------------------------------------------------------------

def deviation(a, b):
    """The difference of a from b, relative when |b| > 1, else absolute."""
    return abs(a - b) / max(1.0, abs(b))


def close(a, b):
    return deviation(a, b) <= TOLERANCE


class Comparison:
    """What was compared: how many values, the largest deviation, the first mismatch."""

    def __init__(self):
        self.checked, self.largest, self.mismatch = 0, 0.0, None

    def add(self, where, got, want):
        self.checked += 1
        self.largest = max(self.largest, deviation(got, want))
        if not close(got, want) and self.mismatch is None:
            self.mismatch = f"{where}: neural-lab {got!r}, pytorch {want!r}"


def compare_weights(saved, replica, comparison):
    """Compares every saved weight and bias with the replica's."""
    expected = replica.flat_layers()
    if len(saved) != len(expected):
        comparison.mismatch = f"{len(saved)} layers saved, {len(expected)} expected"
        return
    for l, (layer, (w, b)) in enumerate(zip(saved, expected)):
        if len(layer["weight"]) != len(w) or len(layer["bias"]) != len(b):
            comparison.mismatch = f"layers[{l}]: saved shape differs from the network's"
            return
        for o in range(len(w)):
            for i in range(len(w[o])):
                comparison.add(f"layers[{l}].weight[{o}][{i}]", layer["weight"][o][i], w[o][i])
            comparison.add(f"layers[{l}].bias[{o}]", layer["bias"][o], b[o])


def read_history(path):
    with open(path) as f:
        rows = [line.strip().split(",") for line in f][1:]
    return [(float(r[1]), float(r[2])) for r in rows]


def run_config(cli, workdir, number, config):
    project = make_project(config, seed=1000 + number)
    path = os.path.join(workdir, f"{config['name']}.nlab")
    out = os.path.join(workdir, f"{config['name']}-trained.nlab")
    history_path = os.path.join(workdir, f"{config['name']}.csv")
    with open(path, "w") as f:
        json.dump(project, f, indent=1)

    run = subprocess.run([cli, "train", path, "--epochs", str(EPOCHS), "--quiet", "--save", out,
                          "--history", history_path], capture_output=True, text=True)
    if run.returncode != 0:
        return f"neural-lab-cli exited {run.returncode}: {run.stderr.strip()}", None
    with open(out) as f:
        saved = json.load(f)["weights"]

    replica = Replica(project, config)
    expected_history = replica.train(project, EPOCHS)
    history = read_history(history_path)
    comparison = Comparison()
    compare_weights(saved, replica, comparison)
    if len(history) != EPOCHS + 1:
        return f"{len(history)} history rows, expected {EPOCHS + 1}", comparison
    for epoch, (got, want) in enumerate(zip(history, expected_history)):
        comparison.add(f"epoch {epoch} train_loss", got[0], want[0])
        comparison.add(f"epoch {epoch} test_loss", got[1], want[1])
    # An empty comparison must not pass: every config has weights and a history.
    if comparison.mismatch is None and comparison.checked <= 2 * (EPOCHS + 1):
        comparison.mismatch = "no weights were compared"
    return comparison.mismatch, comparison


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    cli = sys.argv[1]
    failed = 0
    print(f"1..{len(CONFIGS)}")
    with tempfile.TemporaryDirectory(prefix="test-torch-") as workdir:
        for number, config in enumerate(CONFIGS, start=1):
            problem, comparison = run_config(cli, workdir, number, config)
            if problem is None:
                print(f"ok {number} {config['name']} # {comparison.checked} values, "
                      f"largest deviation {comparison.largest:.1e}")
            else:
                failed += 1
                print(f"not ok {number} {config['name']}: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
