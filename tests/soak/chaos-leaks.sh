#!/usr/bin/env bash
# tests/soak/chaos-leaks.sh: the soak's chaos under AddressSanitizer + UndefinedBehavior-
# Sanitizer, ending by itself so that LeakSanitizer checks the application at its exit
# (opt-in, not in the suite).
#
# The application trains an example at full speed under Xvfb while NEURAL_LAB_CHAOS=1
# injects a random action every 250 ms (src/app/nl-chaos.c); after CHAOS_SECONDS,
# NEURAL_LAB_CHAOS_SECONDS makes it close its window without asking, and the application
# ends. Any memory error, undefined behaviour or leak of ours fails it (the suppressions are
# the suite's, tests/valgrind/lsan.supp); stacks are unwound in full, so a leak report
# names its functions.
#
#   tests/soak/chaos-leaks.sh                    # 300 s on default.nlab, in build-asan
#   CHAOS_SECONDS=600 CHAOS_EXAMPLE=spiral.nlab NEURAL_LAB_CHAOS_SEED=7 tests/soak/chaos-leaks.sh
#
# Needs the sanitizer build: build-aux/sanitize.sh configures it (NEURAL_LAB_ASAN_BUILD_DIR,
# default build-asan); this script only brings its application up to date.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build_dir=${NEURAL_LAB_ASAN_BUILD_DIR:-build-asan}
seconds=${CHAOS_SECONDS:-300}
example=${CHAOS_EXAMPLE:-default.nlab}

if [[ ${CHAOS_INSIDE_XVFB:-} != 1 ]]; then
  if ! command -v xvfb-run >/dev/null; then
    echo "chaos-leaks: xvfb-run is missing (apt-get install xvfb)" >&2
    exit 1
  fi
  CHAOS_INSIDE_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$@"
fi

if ! grep -q '"name": "b_sanitize", "value": "address' \
     "$build_dir/meson-info/intro-buildoptions.json" 2>/dev/null; then
  echo "chaos-leaks: $build_dir is not a sanitizer build; run build-aux/sanitize.sh first" >&2
  exit 1
fi
ninja -C "$build_dir" src/app/neural-lab data/gschemas.compiled >/dev/null

scratch=$(mktemp -d -t neural-lab-chaos-XXXXXX)
trap 'rm -rf "$scratch"' EXIT

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=30
export LSAN_OPTIONS=suppressions=$PWD/tests/valgrind/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export G_SLICE=always-malloc GDK_DEBUG=gl-disable
source tests/soak/chaos-env.sh
export NEURAL_LAB_CHAOS_SECONDS=$seconds

log=$build_dir/chaos-leaks.log
echo "chaos-leaks: $build_dir/src/app/neural-lab on $example for $seconds s; log in $log"
status=0
"$build_dir/src/app/neural-lab" --play "data/examples/$example" >"$log" 2>&1 || status=$?
grep -o 'chaos: [0-9]* actions, done.*' "$log" || true
if ((status != 0)) || grep -q 'ERROR: \(AddressSanitizer\|LeakSanitizer\)\|runtime error:' "$log"; then
  echo "chaos-leaks: FAIL (exit status $status); the end of $log:"
  grep -v '^chaos: ' "$log" | tail -n 60 | sed 's/^/  /'
  exit 1
fi
if ! grep -q 'chaos: [0-9]* actions, done' "$log"; then
  echo "chaos-leaks: FAIL: the application ended before its chaos did"
  exit 1
fi
echo "chaos-leaks: PASS: no memory error, no undefined behaviour, no leak"
