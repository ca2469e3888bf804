#!/usr/bin/env bash
# bench/compare.sh: nl-bench beside PyTorch on the same workloads, with the ratio and the
# target of each (issue 2: W1 ≥ 150×, W2 and W3 ≥ 75×, W4 ≥ 20× PyTorch's samples/s;
# G1 under 2 ms). A benchmark, not a test: it prints figures and exits 0.
#
# Usage: bench/compare.sh [--seconds=S] [--only=W1|W2|W3|W4|G1]
# nl-bench is taken from the build directory ("build", or $NEURAL_LAB_BUILD_DIR); build it
# first (build-aux/setup.sh). PyTorch runs under /usr/bin/python3 (Debian's python3-torch).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${NEURAL_LAB_BUILD_DIR:-build}
nl_bench=${NL_BENCH:-$build_dir/bench/nl-bench}

if [[ ! -x $nl_bench ]]; then
  echo "compare: $nl_bench is not built; run build-aux/setup.sh first" >&2
  exit 1
fi
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "compare: /usr/bin/python3 cannot import torch; install python3-torch" >&2
  exit 1
fi

workloads=(W1 W2 W3 W4 G1)
options=()
for arg in "$@"; do
  case $arg in
    --only=*) workloads=("${arg#--only=}") ;;
    --seconds=*) options+=("$arg") ;;
    *) echo "usage: bench/compare.sh [--seconds=S] [--only=W1|W2|W3|W4|G1]" >&2; exit 1 ;;
  esac
done

# One workload at a time, ours then PyTorch's, so both see the same load on the machine.
ours="" theirs=""
for w in "${workloads[@]}"; do
  echo "$w: nl-bench…" >&2
  ours+=$("$nl_bench" "--only=$w" "${options[@]}")$'\n'
  if [[ $w != G1 ]]; then
    echo "$w: PyTorch (one thread, float64)…" >&2
    theirs+=$(/usr/bin/python3 bench/pytorch-reference.py "--only=$w" "${options[@]}")$'\n'
  fi
done

# Join the two outputs on the workload's name and print one row per workload.
awk -v ours="$ours" -v theirs="$theirs" '
  function load(text, into,    lines, n, i, parts) {
    n = split(text, lines, "\n")
    for (i = 1; i <= n; i++)
      if (split(lines[i], parts, /[ =]/) == 3)
        into[parts[1]] = parts[3]
  }
  BEGIN {
    load(ours, a); load(theirs, b)
    target["W1"] = 150; target["W2"] = 75; target["W3"] = 75; target["W4"] = 20
    printf "%-4s %20s %18s %9s %8s  %s\n", "", "neural-lab samples/s", "PyTorch samples/s",
           "ratio", "target", ""
    split("W1 W2 W3 W4", names, " ")
    for (i = 1; i <= 4; i++) {
      w = names[i]
      if (!(w in a) || !(w in b) || b[w] == 0)
        continue
      ratio = a[w] / b[w]
      verdict = (ratio >= target[w]) ? "met" : "MISSED"
      printf "%-4s %20d %18d %8.1fx %8s  %s\n", w, a[w], b[w], ratio, ">=" target[w] "x",
             verdict
    }
    if ("G1" in a) {
      verdict = (a["G1"] + 0 < 2) ? "met" : "MISSED"
      printf "%-4s %20s %18s %9s %8s  %s\n", "G1", a["G1"] " ms/grid", "", "", "< 2 ms", verdict
    }
  }'
