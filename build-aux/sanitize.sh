#!/usr/bin/env bash
# build-aux/sanitize.sh: the whole test suite under AddressSanitizer + UndefinedBehavior-
# Sanitizer, in its own build directory (build-asan, or $NEURAL_LAB_ASAN_BUILD_DIR).
#
# It configures that directory with the sanitizers, then hands over to build-aux/test.sh,
# which builds it and runs the suite inside one Xvfb server and ends with the same
# "N passed, N failed" line. Any memory error, any leak of ours and any undefined
# behaviour makes the test that hit it fail: -fno-sanitize-recover=all turns UBSan's
# warnings into aborts. Extra arguments go to meson test (e.g. --suite cli).
#
# Left out here: the suites that build their own sanitized programs whatever this build
# is: 'fuzz' (libFuzzer harnesses, built by clang with ASan and UBSan already) and 'tsan'
# (the worker stress test under ThreadSanitizer, which cannot be combined with ASan); and
# 'valgrind' (valgrind cannot run a sanitized program; tests/valgrind/meson.build does not
# define it in this build).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${NEURAL_LAB_ASAN_BUILD_DIR:-build-asan}

# b_lundef=false: the sanitizer runtimes are linked into the executables, not into
# libraries, so a library may have undefined sanitizer symbols at link time.
options=(
  -Db_sanitize=address,undefined
  -Db_lundef=false
  "-Dc_args=-fno-sanitize-recover=all -fno-omit-frame-pointer"
)

if [[ ! -f $build_dir/build.ninja ]]; then
  # A fresh machine has no meson yet: the ordinary set-up installs it (and the rest of
  # build-aux/debian-packages.txt) and builds build/ on the way.
  if ! command -v meson >/dev/null; then
    build-aux/setup.sh
  fi
  if [[ -d $build_dir/meson-private ]]; then
    meson setup --wipe "$build_dir" "${options[@]}"
  else
    meson setup "$build_dir" "${options[@]}"
  fi
else
  # Already configured (perhaps without sanitizers, by hand): make sure they are on.
  meson configure "$build_dir" "${options[@]}"
fi

case $build_dir in
  /*) build_path=$build_dir ;;
  *) build_path=$PWD/$build_dir ;;
esac

# detect_leaks: LeakSanitizer at every exit, children (the CLI run by the CLI tests)
# included; the suppressions name only libraries that are not ours (see the file).
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:check_initialization_order=1:strict_init_order=1
export LSAN_OPTIONS=suppressions=$PWD/tests/valgrind/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# GLib 2.74's GSlice keeps freed blocks in its own magazines, where ASan sees neither a
# use after free nor a leak; this makes every g_slice block an ordinary malloc.
export G_SLICE=always-malloc
# The GUI tests draw with GSK_RENDERER=cairo and never use GL, but GDK still probes EGL
# when it opens the display, and Mesa's driver leaks there (see tests/valgrind/lsan.supp).
export GDK_DEBUG=gl-disable

echo "sanitizer suite: AddressSanitizer + UndefinedBehaviorSanitizer in $build_path"
# Sanitized code runs two to three times slower: give every test's timeout that room.
NEURAL_LAB_BUILD_DIR=$build_dir exec build-aux/test.sh \
  --no-suite fuzz --no-suite tsan --timeout-multiplier 3 "$@"
