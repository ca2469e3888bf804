#!/usr/bin/env bash
# tests/stress/run-tsan.sh: the worker stress test under ThreadSanitizer.
#
# Configures a build of its own (NEURAL_LAB_TSAN_BUILD_DIR, default build-tsan at the top of
# the tree) with -Db_sanitize=thread, builds only tests/stress/test-worker-stress and what
# it links, and runs it with TSan stopping at the first report. Exits 77 (skipped) when the
# compiler cannot build and run a TSan program. CC picks the compiler (clang by default,
# else cc). STRESS_COMMANDS (default 3000 here: TSan runs 5–15× slower) sizes the run, and
# STRESS_SECONDS (default 60) caps its length.
# Before it, a race written on purpose must be reported, or the script fails: proof that
# TSan works here and that tsan-glib.c's annotations do not hide real races.
# Meson runs it as the test worker-stress-tsan, suite 'tsan'.
set -euo pipefail

source_dir=${NEURAL_LAB_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
build_dir=${NEURAL_LAB_TSAN_BUILD_DIR:-$source_dir/build-tsan}
cc=${CC:-}
if [[ -z $cc ]]; then
  if command -v clang >/dev/null; then cc=clang; else cc=cc; fi
fi

# Can this compiler build and run a thread-sanitized program here?
probe=$(mktemp -d -t neural-lab-tsan-probe-XXXXXX)
trap 'rm -rf "$probe"' EXIT
cat >"$probe/probe.c" <<'PROBE'
#include <pthread.h>
static void *f (void *p) { return p; }
int main (void) { pthread_t t; pthread_create (&t, 0, f, 0); return pthread_join (t, 0); }
PROBE
if ! "$cc" -fsanitize=thread -g "$probe/probe.c" -o "$probe/probe" -lpthread \
     >"$probe/log" 2>&1; then
  echo "run-tsan: $cc cannot build with -fsanitize=thread; skipped" >&2
  sed 's/^/  /' "$probe/log" >&2
  exit 77
fi
# TSan needs its memory layout: on kernels with much mmap randomness it cannot start,
# and then runs with address space randomisation turned off for this process.
runner=()
if ! "$probe/probe" >"$probe/log" 2>&1; then
  if command -v setarch >/dev/null && setarch "$(uname -m)" -R "$probe/probe" >/dev/null 2>&1; then
    runner=(setarch "$(uname -m)" -R)
  else
    echo "run-tsan: a TSan program does not start on this machine; skipped" >&2
    sed 's/^/  /' "$probe/log" >&2
    exit 77
  fi
fi

if [[ ! -f $build_dir/build.ninja ]]; then
  CC=$cc meson setup "$build_dir" "$source_dir" \
    -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debugoptimized -Dcpu=baseline >/dev/null
fi
ninja -C "$build_dir" tests/stress/test-worker-stress

export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
export STRESS_COMMANDS=${STRESS_COMMANDS:-3000} STRESS_SECONDS=${STRESS_SECONDS:-60}
export LC_ALL=C.UTF-8
# G_DEBUG=gc-friendly (the suite sets it) makes GLib zero the blocks it frees with memset,
# which TSan intercepts even inside GLib, while the locks of GLib that order its own block
# reuse (GSlice caches, the queue's list nodes) stay invisible to it: reports on GLib's
# internals, not on ours. GLib's own memory accesses are otherwise unseen, as they are
# without the option.
unset G_DEBUG
test=$build_dir/tests/stress/test-worker-stress

# First make sure it can fail: a race on purpose must be reported (exit status 66).
status=0
STRESS_RACE_SELFTEST=1 "${runner[@]}" "$test" -p /worker/race-selftest >"$probe/race" 2>&1 \
  || status=$?
if [[ $status -ne 66 ]] || ! grep -q "WARNING: ThreadSanitizer: data race" "$probe/race"; then
  echo "run-tsan: the deliberate race was not reported (status $status): TSan is not working" >&2
  sed 's/^/  /' "$probe/race" >&2
  exit 1
fi
echo "run-tsan: the deliberate race was reported, as it must be"

start=$(date +%s)
status=0
"${runner[@]}" "$test" -p /worker/stress || status=$?
echo "run-tsan: up to $STRESS_COMMANDS commands under ThreadSanitizer in $(($(date +%s) - start)) s," \
     "exit status $status ($([[ $status -eq 0 ]] && echo clean || echo 'see the report above'))"
exit "$status"
