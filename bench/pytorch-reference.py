#!/usr/bin/python3
"""PyTorch on nl-bench's workloads, for the ratios bench/compare.sh prints.

Trains W1–W4 as bench/nl-bench.c defines them (and as bench/projects/w*.nlab hold them),
in PyTorch with one thread and float64, the ordinary way: nn.Sequential of nn.Linear,
a torch.optim optimizer, mini-batches drawn from a permutation reshuffled every epoch.
Prints `NAME samples_per_s=N`, the median of five timed runs after a warm-up, like
nl-bench. Only the training steps are timed (no per-epoch evaluation), as in nl-bench.

The points are random: the cost of a step does not depend on their values, only on the
sizes, which are the workloads' own.

Usage: pytorch-reference.py [--seconds=S] [--only=W1|W2|W3|W4]
Run it with /usr/bin/python3 (Debian's python3-torch).
"""

import statistics
import sys
import time

import torch

RUNS = 5

# name: training points, inputs, hidden units, hidden activation, outputs, output, loss,
#       optimizer, learning rate, batch size
WORKLOADS = {
    "W1": dict(n=250, inputs=2, hidden=[4, 2], act="tanh", outputs=1, out="tanh",
               loss="mse", opt="sgd", lr=0.03, batch=10),
    "W2": dict(n=250, inputs=2, hidden=[8] * 6, act="tanh", outputs=1, out="tanh",
               loss="mse", opt="sgd", lr=0.03, batch=10),
    "W3": dict(n=250, inputs=7, hidden=[8] * 6, act="tanh", outputs=1, out="tanh",
               loss="mse", opt="sgd", lr=0.03, batch=10),
    "W4": dict(n=600, inputs=2, hidden=[32, 32], act="relu", outputs=3, out="softmax",
               loss="cross_entropy", opt="adam", lr=0.01, batch=32),
}

ACTIVATIONS = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}


def build(w):
    """The model, loss function, optimizer and data of a workload."""
    layers, n_in = [], w["inputs"]
    for units in w["hidden"]:
        layers += [torch.nn.Linear(n_in, units), ACTIVATIONS[w["act"]]()]
        n_in = units
    layers.append(torch.nn.Linear(n_in, w["outputs"]))
    if w["out"] == "tanh":
        layers.append(torch.nn.Tanh())
    # softmax + cross-entropy: CrossEntropyLoss takes the logits (the fused, stable form)
    model = torch.nn.Sequential(*layers)

    x = torch.rand(w["n"], w["inputs"]) * 12 - 6
    if w["loss"] == "mse":
        y = torch.where(torch.rand(w["n"], 1) < 0.5, -1.0, 1.0)
        loss_fn = torch.nn.MSELoss()
    else:
        y = torch.randint(0, w["outputs"], (w["n"],))
        loss_fn = torch.nn.CrossEntropyLoss()

    if w["opt"] == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=w["lr"])
    else:
        opt = torch.optim.Adam(model.parameters(), lr=w["lr"])
    return model, loss_fn, opt, x, y


def train_epoch(model, loss_fn, opt, x, y, batch):
    order = torch.randperm(x.shape[0])
    for start in range(0, x.shape[0], batch):
        idx = order[start:start + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()


def time_training(setup, batch, seconds):
    """Trains whole epochs for at least `seconds`; returns samples per second."""
    model, loss_fn, opt, x, y = setup
    samples, start = 0, time.perf_counter()
    while True:
        train_epoch(model, loss_fn, opt, x, y, batch)
        samples += x.shape[0]
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return samples / elapsed


def parse_args(argv):
    seconds, only = 0.5, None
    for arg in argv:
        if arg.startswith("--seconds="):
            seconds = float(arg[len("--seconds="):])
        elif arg.startswith("--only="):
            only = arg[len("--only="):]
        else:
            sys.exit("usage: pytorch-reference.py [--seconds=S] [--only=W1|W2|W3|W4]")
    return (seconds if seconds > 0 else 0.5), only


def main():
    seconds, only = parse_args(sys.argv[1:])
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(1)
    for name, w in WORKLOADS.items():
        if only is not None and only != name:
            continue
        setup = build(w)
        time_training(setup, w["batch"], seconds / 2)  # warm-up
        rates = [time_training(setup, w["batch"], seconds) for _ in range(RUNS)]
        print(f"{name} samples_per_s={statistics.median(rates):.0f}", flush=True)


if __name__ == "__main__":
    main()
