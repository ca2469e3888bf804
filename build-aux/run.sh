#!/usr/bin/env bash
# build-aux/run.sh: the README's first command. Sets up the machine, builds, and starts
# Neural Lab with the default example project loaded, ready to press Play. Extra
# arguments go to the app (a .nlab file to open, --play to start training at once).
#
# With no display to open a window on (a server, a CI machine), it says so and trains the
# default example headless with neural-lab-cli instead, so the command still shows the
# engine at work.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${NEURAL_LAB_BUILD_DIR:-build}

build-aux/setup.sh

# Uninstalled, the translations are the build's po/ (ja for LANGUAGE=ja or a Japanese desktop).
NEURAL_LAB_LOCALEDIR=${NEURAL_LAB_LOCALEDIR:-$(cd "$build_dir" && pwd)/po}
export NEURAL_LAB_LOCALEDIR

if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
  echo "run: no display (DISPLAY and WAYLAND_DISPLAY are unset); training the default" \
       "example with neural-lab-cli instead" >&2
  exec "$build_dir/src/cli/neural-lab-cli" train data/examples/default.nlab
fi
# Uninstalled, the app finds its settings schema in the build directory by itself.
exec "$build_dir/src/app/neural-lab" "$@"
