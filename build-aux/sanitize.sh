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
  "-Db_sanitize=address,undefined"
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
# GIO registers the modules of its system folder (here dconf's GSettings backend) without
# loading them, and LSan finds that GIOModule object unreferenced at exit (154 bytes from
# g_io_module_new, below gtk_init). The suite uses GSETTINGS_BACKEND=memory and needs no
# GIO module: an empty module folder keeps that GIO leak out, with no suppression that
# could hide one of ours (the fast unwinder's stacks stop at g_malloc, so a suppression
# would have to name all of GLib).
export GIO_MODULE_DIR=$build_path/no-gio-modules
mkdir -p "$GIO_MODULE_DIR"

# The worker stress test sends 4000 commands by default, about 40 s under ASan on a busy
# 2-core machine; 1500 send the same random mix (each kind of command ten times or more)
# in a third of the time, for CI's ten minutes. STRESS_COMMANDS=4000 restores the full run.
export STRESS_COMMANDS=${STRESS_COMMANDS:-1500}

echo "sanitizer suite: AddressSanitizer + UndefinedBehaviorSanitizer in $build_path"
# Sanitized code runs two to three times slower: give every test's timeout that room.
NEURAL_LAB_BUILD_DIR=$build_dir exec build-aux/test.sh \
  --no-suite fuzz --no-suite tsan --timeout-multiplier 3 "$@"
