#!/usr/bin/env bash
# build-aux/run.sh: the README's first command. Sets up the machine, builds, and starts
# Neural Lab's main job: for now, training the default example project in the CLI.
# Extra arguments go to that job (e.g. --epochs 50).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${NEURAL_LAB_BUILD_DIR:-build}

build-aux/setup.sh
exec "$build_dir/src/cli/neural-lab-cli" train data/examples/default.nlab "$@"
