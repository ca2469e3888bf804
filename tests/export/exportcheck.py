"""Shared by the export checks: runs export-fixture and reads back what it wrote.

export-fixture writes, for each of a few networks, every export format, the generated
Python snippets, the points and the app's predictions for them (nn_trainer_predict, %.17g)
and the architecture (info.json). The checks compare what each tool computes from the
exported files with those predictions.
"""

import contextlib
import importlib
import io
import json
import os
import subprocess
import sys
import tempfile

SKIPPED = 77
HERE = os.path.dirname(os.path.abspath(__file__))
STUBS = os.path.join(HERE, "stubs")


def require(*modules):
    """Imports the modules, or exits with 77 (meson's "skipped") naming what is missing."""
    loaded = []
    for name in modules:
        try:
            loaded.append(importlib.import_module(name))
        except ImportError:
            print(f"# skipped: {sys.executable} cannot import {name} "
                  f"(install python3-{name})")
            sys.exit(SKIPPED)
    return loaded


def use_stub_if_missing(module):
    """Lets the snippets import `module` (safetensors, onnxruntime) when Debian has no
    package for it: tests/export/stubs holds a small implementation of the format's
    specification (safetensors) or of the operators the exporter writes (onnxruntime).
    Returns whether the stub is used."""
    try:
        importlib.import_module(module)
        return False
    except ImportError:
        if STUBS not in sys.path:
            sys.path.insert(0, STUBS)
        importlib.import_module(module)
        return True


class Case:
    """One network the fixture wrote: its files, architecture, points and predictions."""

    def __init__(self, root, name):
        self.name = name
        self.dir = os.path.join(root, name)
        with open(self.path("info.json")) as f:
            self.info = json.load(f)
        self.features = self.info["features"]
        self.layers = self.info["layers"]
        self.points = read_rows(self.path("points.csv"), header=True)
        self.predictions = read_rows(self.path("predictions.csv"), header=False)

    def path(self, name):
        return os.path.join(self.dir, name)

    def weights(self, extension):
        return self.path("weights." + extension)


def read_rows(path, header):
    with open(path) as f:
        lines = f.read().splitlines()
    if header:
        lines = lines[1:]
    return [[float(v) for v in line.split(",")] for line in lines if line]


class Checker:
    """Counts checks and failures; prints one line for each failure."""

    def __init__(self, fixture):
        self.fixture = fixture
        self.checks = 0
        self.failures = 0
        self.tmp = tempfile.TemporaryDirectory(prefix="neural-lab-export-")
        subprocess.run([fixture, "write", self.tmp.name], check=True)
        with open(os.path.join(self.tmp.name, "cases.txt")) as f:
            names = f.read().split()
        self.cases = [Case(self.tmp.name, name) for name in names]

    def check(self, condition, what):
        self.checks += 1
        if not condition:
            self.failures += 1
            print(f"FAIL: {what}")
        return condition

    def close(self, case, actual, what, tolerance):
        """Compares outputs for every point with the app's: |a - e| <= tol·max(1, |e|)."""
        worst = 0.0
        ok = len(actual) == len(case.predictions)
        for got, want in zip(actual, case.predictions):
            got = [float(v) for v in got]
            ok = ok and len(got) == len(want)
            for a, e in zip(got, want):
                error = abs(a - e) / max(1.0, abs(e))
                worst = max(worst, error)
        self.check(ok and worst <= tolerance,
                   f"{case.name}: {what}: worst error {worst:.3g} > {tolerance:g}"
                   if ok else f"{case.name}: {what}: wrong number of outputs")
        print(f"# {case.name}: {what}: worst relative error {worst:.3g}")

    def import_back(self, case, path, what):
        """The engine's importer reads `path` into the case's network bit for bit."""
        result = subprocess.run([self.fixture, "import", case.name, path],
                                capture_output=True, text=True)
        self.check(result.returncode == 0,
                   f"{case.name}: {what}: {result.stderr.strip() or result.stdout.strip()}")

    def run_snippet(self, case, format, framework):
        """Executes the generated snippet and returns its predict function."""
        path = case.path(f"snippet-{format}-{framework}.py")
        with open(path) as f:
            source = f.read()
        namespace = {"__name__": "__snippet__"}
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(source, path, "exec"), namespace)
        self.check(printed.getvalue().strip() != "",
                   f"{case.name}: snippet-{format}-{framework} printed nothing")
        return namespace["predict"]

    def finish(self):
        self.tmp.cleanup()
        print(f"# {self.checks} checks, {self.failures} failed")
        return 1 if self.failures else 0
