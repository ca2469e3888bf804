#!/usr/bin/env bash
# tests/valgrind/run-valgrind.sh VALGRIND NEURAL_LAB_CLI
#
# The command-line tool's train → export → import → predict path, and its refusals, each
# run under valgrind's memcheck. Any memory error (invalid read or write, use of an
# uninitialised value, bad free) or any definitely or indirectly lost block fails the run.
# "Possibly lost" and "still reachable" blocks are GLib's type system and caches, alive
# until exit by design: they are not errors. The project is small and trains for two
# epochs, so the whole run takes well under a minute.
set -euo pipefail

valgrind=$1
cli=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/neural-lab-valgrind-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# Memory handed out by GSlice (GLib 2.74) would be invisible to memcheck.
export G_SLICE=always-malloc G_DEBUG=gc-friendly LC_ALL=C.UTF-8

# Valgrind's own status for "errors found": distinct from the CLI's 0 and 1.
vg_error=99
failures=0
runs=0

# expect STATUS ARGS…: runs the CLI under memcheck and wants exit status STATUS.
expect () {
  local want=$1 status=0 log
  shift
  runs=$((runs + 1))
  log=$work/valgrind-$runs.log
  "$valgrind" --tool=memcheck --quiet --leak-check=full \
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
    --track-origins=yes --num-callers=40 --error-exitcode=$vg_error \
    --log-file="$log" "$cli" "$@" > "$work/stdout" 2> "$work/stderr" || status=$?
  if [[ $status -eq $vg_error ]]; then
    echo "FAIL: valgrind found errors in: neural-lab-cli $*"
    cat "$log"
    failures=$((failures + 1))
  elif [[ $status -ne $want ]]; then
    echo "FAIL: neural-lab-cli $* exited $status, expected $want"
    cat "$work/stderr" "$log"
    failures=$((failures + 1))
  else
    echo "ok: neural-lab-cli $* (exit $status)"
  fi
}

# The path a user takes: make a project, train and save it with every output, export the
# weights in every format, put them back, predict.
expect 0 new -o p.nlab --dataset spiral --classes 3 --count 60 --hidden 6,4 --epochs 2 --seed 3
expect 0 train p.nlab --save t.nlab --history h.csv --export-weights w.json
expect 0 train p.nlab --epochs 1 --quiet --export-weights w-train.npz
expect 0 train p.nlab --epochs 1 --quiet --export-weights w-train.onnx
for format in json csv npz onnx c safetensors; do
  expect 0 export t.nlab --format "$format" -o "w.$format"
done
expect 0 export t.nlab -o w-snippet.npz --snippet numpy --snippet-output load.py
expect 0 export p.nlab --epochs 1 -o w-epochs.onnx
expect 0 import-weights p.nlab w.json -o i-json.nlab
expect 0 import-weights p.nlab w.npz -o i-npz.nlab
printf 'x1,x2\n0,0\n1.5,-2\n-6,6\n' > points.csv
expect 0 predict i-npz.nlab --input points.csv --output predictions.csv
expect 0 train i-json.nlab --epochs 1 --quiet

# The refusals free what they built too.
printf '{"format": "neural-lab", "version": 1, "seed": ' > truncated.nlab
sed -e 's/"units": 6/"units": 65/' p.nlab > bad-units.nlab
printf 'x1,x2\n0,0\n1\n' > ragged.csv
expect 1 new -o p.nlab
expect 1 train missing.nlab
expect 1 train truncated.nlab --save o.nlab
expect 1 train bad-units.nlab --save o.nlab
expect 1 predict t.nlab --input ragged.csv
expect 1 import-weights p.nlab t.nlab -o o.nlab
expect 0 new -o wide.nlab --hidden 7 --count 60
expect 1 import-weights wide.nlab w.npz -o o.nlab
expect 1 import-weights wide.nlab w.json -o o.nlab
expect 1 train t.nlab --epochs 1 --save /proc/neural-lab-valgrind.nlab

echo "$runs runs under valgrind, $failures failed"
[[ $failures -eq 0 ]]
