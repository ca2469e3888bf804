#!/usr/bin/env bash
# tests/fuzz/run-fuzz.sh SRC_ROOT OUT_DIR [SECONDS]
#
# Builds each libFuzzer harness with clang (-fsanitize=fuzzer,address,undefined) against
# the engine's sources and runs it for SECONDS (each harness in turn), from the seed corpus
# in tests/fuzz/corpus/NAME/ with the dictionary tests/fuzz/NAME.dict. A crash, a leak,
# undefined behaviour or a broken invariant fails the run. Exits 77 (skipped) when clang or
# its fuzzer runtime is missing.
#
# SECONDS defaults to $FUZZ_SECONDS, else 15: the suite's short run (meson test 'fuzz').
# The long run, opt-in (20 minutes in all; the corpus grows in OUT_DIR/corpus-NAME and a
# second run goes on from it):
#   tests/fuzz/run-fuzz.sh . build/fuzz-long 400
# A crash leaves its reproducer in OUT_DIR (crash-…, leak-…, timeout-…); replay it with
#   OUT_DIR/fuzz-NAME OUT_DIR/crash-…
set -euo pipefail

src=$(cd "$1" && pwd)
out=$2
seconds=${3:-${FUZZ_SECONDS:-15}}
harnesses=(project csv weights)

if ! command -v clang >/dev/null; then
  echo "clang is not installed: skipping the fuzz run"
  exit 77
fi
mkdir -p "$out"
probe=$out/probe.c
echo 'int LLVMFuzzerTestOneInput (const char *d, unsigned long n) { return 0; }' > "$probe"
if ! clang -fsanitize=fuzzer "$probe" -o "$out/probe" 2>/dev/null; then
  echo "clang has no libFuzzer runtime (libclang-rt-dev): skipping the fuzz run"
  exit 77
fi

# The macros the top meson.build defines for every source (the engine's messages go through
# gettext, and its exports name the version).
version=$(sed -n "s/^ *version: *'\([^']*\)'.*/\1/p" "$src/meson.build" | head -n 1)
cflags=(-g -O1 -std=gnu11 "-fsanitize=fuzzer,address,undefined" -fno-sanitize-recover=all
        -fno-omit-frame-pointer -I"$src/src/core"
        -DGETTEXT_PACKAGE='"neural-lab"' -DLOCALEDIR='"/usr/share/locale"'
        -DAPP_ID='"org.neurallab.NeuralLab"' -DPACKAGE_VERSION="\"${version:-0}\"")
read -r -a dep_cflags <<< "$(pkg-config --cflags glib-2.0 gio-2.0 json-glib-1.0)"
read -r -a dep_libs <<< "$(pkg-config --libs glib-2.0 gio-2.0 json-glib-1.0)"

# The engine is compiled once, on every core, and linked into each harness.
objects=()
pids=()
mkdir -p "$out/obj"
for source in "$src"/src/core/nn-*.c; do
  object=$out/obj/$(basename "${source%.c}").o
  objects+=("$object")
  clang "${cflags[@]}" "${dep_cflags[@]}" -c "$source" -o "$object" &
  pids+=($!)
  if [[ ${#pids[@]} -ge $(nproc) ]]; then
    wait "${pids[0]}"
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do
  wait "$pid"
done

status=0
for name in "${harnesses[@]}"; do
  exe=$out/fuzz-$name
  clang "${cflags[@]}" "${dep_cflags[@]}" "$src/tests/fuzz/fuzz-$name.c" "${objects[@]}" \
    "${dep_libs[@]}" -lm -o "$exe"

  corpus=$out/corpus-$name
  mkdir -p "$corpus"
  cp -n "$src/tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null || true
  log=$out/fuzz-$name.log
  dict=()
  if [[ -f $src/tests/fuzz/$name.dict ]]; then
    dict=(-dict="$src/tests/fuzz/$name.dict")
  fi
  # Reproducers land in $out, not in the current folder.
  if ASAN_OPTIONS=detect_leaks=1 "$exe" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$out/" \
       "${dict[@]}" "$corpus" > "$log" 2>&1; then
    runs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    echo "fuzz-$name: ${runs:-?} executions in ${seconds}s, no crash"
  else
    echo "fuzz-$name: FAILED; the reproducer and trace are in $log"
    tail -40 "$log"
    status=1
  fi
done
exit $status
