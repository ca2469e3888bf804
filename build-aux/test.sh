#!/usr/bin/env bash
# build-aux/test.sh: the README's second command. Sets up the machine, builds, and runs the
# whole test suite inside one Xvfb server (a server per test would race when meson runs
# tests in parallel), then prints "N passed, N failed". Exits non-zero on any failure.
# Extra arguments go to meson test (e.g. --suite cli).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${NEURAL_LAB_BUILD_DIR:-build}

build-aux/setup.sh

# What GTK 4.8 needs under Xvfb with no session bus: without GTK_A11Y=none it warns about
# the missing accessibility bus, and a test's fatal warnings turn that into an abort. The
# cairo renderer needs no GL; settings stay in memory, with the schema from the build.
export GSK_RENDERER=cairo GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1
case $build_dir in
  /*) build_path=$build_dir ;;
  *) build_path=$PWD/$build_dir ;;
esac
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build_path/data"
export LC_ALL=C.UTF-8 G_DEBUG=gc-friendly

testlog=$build_dir/meson-logs/testlog.json
rm -f "$testlog"
status=0
# The screen must hold the GUI tests' largest window (1920×1080): X clamps a window to it.
xvfb-run -a -s "-screen 0 1920x1200x24" \
  meson test -C "$build_dir" --print-errorlogs "$@" || status=$?

# Count results from Meson's log: one JSON object a line, each with a "result".
count () {
  local n=0 result
  for result in "$@"; do
    n=$((n + $(grep -c "\"result\": \"$result\"" "$testlog" || true)))
  done
  echo "$n"
}

if [[ -f $testlog ]]; then
  passed=$(count OK EXPECTEDFAIL)
  failed=$(count FAIL UNEXPECTEDPASS TIMEOUT ERROR INTERRUPT)
  skipped=$(count SKIP)
else
  passed=0 failed=0 skipped=0
  [[ $status -ne 0 ]] || status=1 # meson test did not even get to run the tests
fi
if [[ $skipped -gt 0 ]]; then
  echo "$skipped skipped"
fi
echo "$passed passed, $failed failed"
if [[ $failed -gt 0 && $status -eq 0 ]]; then
  status=1
fi
exit "$status"
