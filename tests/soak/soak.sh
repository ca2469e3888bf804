#!/usr/bin/env bash
# tests/soak/soak.sh: the ten-minute soak test of the application (opt-in, not in the suite).
#
# Starts neural-lab under Xvfb on an example, training at full speed, with
# NEURAL_LAB_CHAOS=1 making the app inject a random action every 250 ms (play/pause,
# neurons and layers, optimizer, learning rate up to 10, data, steps, resets, weights; see
# src/app/nl-chaos.c). It samples the resident memory (VmRSS in /proc/PID/status) every 10 s
# and ends with whether the app crashed and whether its memory stayed flat after the first
# minute: max − min over minutes 1 to the end, of each minute's median sample (the raw
# samples' max − min is printed too). It fails when the app died or that spread exceeds
# SOAK_RSS_BOUND_MIB. The app's own log (soak-app.log) has a line a minute with the heap in
# use and held by malloc, which tells a leak (in use grows) from fragmentation.
#
#   tests/soak/soak.sh                        # 600 s on spiral.nlab, build dir "build"
#   SOAK_SECONDS=120 NEURAL_LAB_BUILD_DIR=build-t6 tests/soak/soak.sh
#
# Environment: SOAK_SECONDS (600), SOAK_EXAMPLE (spiral.nlab), SOAK_RSS_BOUND_MIB (20),
# SOAK_INTERVAL (10 s between samples), NEURAL_LAB_CHAOS_SEED (random), SOAK_OUT (the
# folder for soak-rss.csv and soak-app.log; default BUILD/soak). Needs Xvfb (xvfb-run)
# unless DISPLAY is set and SOAK_USE_DISPLAY=1. SOAK_APP runs another neural-lab binary.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build_dir=${NEURAL_LAB_BUILD_DIR:-build}
seconds=${SOAK_SECONDS:-600}
example=${SOAK_EXAMPLE:-spiral.nlab}
bound_mib=${SOAK_RSS_BOUND_MIB:-20}
interval=${SOAK_INTERVAL:-10}
out=${SOAK_OUT:-$build_dir/soak}
app=${SOAK_APP:-$build_dir/src/app/neural-lab}

# One X server for the whole run: re-run this script inside xvfb-run.
if [[ ${SOAK_INSIDE_XVFB:-} != 1 && ${SOAK_USE_DISPLAY:-} != 1 ]]; then
  if ! command -v xvfb-run >/dev/null; then
    echo "soak: xvfb-run is missing (apt-get install xvfb)" >&2
    exit 1
  fi
  SOAK_INSIDE_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$@"
fi

if [[ ! -x $app ]]; then
  echo "soak: $app is not built (ninja -C $build_dir)" >&2
  exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

# A home of its own: settings in memory, autosaves in a temporary state folder.
scratch=$(mktemp -d -t neural-lab-soak-XXXXXX)
app_pid=
cleanup () {
  if [[ -n $app_pid ]] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

export GSK_RENDERER=cairo GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 LC_ALL=C.UTF-8
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$PWD/$build_dir/data
export XDG_STATE_HOME=$scratch/state XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache
# Never hand the file to a Neural Lab already running on the session bus.
export DBUS_SESSION_BUS_ADDRESS=disabled:
export NEURAL_LAB_CHAOS=1 NEURAL_LAB_AUTOSAVE_SECONDS=${NEURAL_LAB_AUTOSAVE_SECONDS:-30}

mib () { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

rss_kib () {
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true
}

csv=$out/soak-rss.csv
log=$out/soak-app.log
echo "seconds,rss_kib" >"$csv"
echo "soak: $app on $example for $seconds s (display $DISPLAY), samples every $interval s"
"$app" --play "data/examples/$example" >"$log" 2>&1 &
app_pid=$!
start=$(date +%s)

crashed=0
status=0
while :; do
  now=$(date +%s)
  elapsed=$((now - start))
  if ! kill -0 "$app_pid" 2>/dev/null; then
    crashed=1
    break
  fi
  rss=$(rss_kib "$app_pid")
  if [[ -n $rss ]]; then
    echo "$elapsed,$rss" >>"$csv"
    printf 'soak: %4d s  RSS %6.1f MiB\n' "$elapsed" "$(mib "$rss")"
  fi
  if ((elapsed >= seconds)); then
    break
  fi
  sleep $((interval - (elapsed % interval) > 0 ? interval - (elapsed % interval) : interval))
done

if ((crashed)); then
  wait "$app_pid" || status=$?
  app_pid=
  echo "soak: CRASH: the app ended after $(($(date +%s) - start)) s with status $status" \
       "(>128: signal $((status > 128 ? status - 128 : 0)))"
  echo "soak: the end of its log ($log):"
  tail -n 30 "$log" | sed 's/^/  /'
  exit 1
fi

# Flat after the first minute. Two figures over the samples from 60 s on: the spread of
# the raw samples (max − min), and the verdict's, the spread of the per-minute medians
# (minutes 1, 2, … each summed up by the median of its six samples). A leak raises every
# minute's median; a spike for one sample (a big network for a few seconds, a buffer in
# flight between threads) moves the raw figure only.
read -r n min max first last < <(awk -F, 'NR > 1 && $1 >= 60 {
    if (n == 0 || $2 < min) min = $2; if (n == 0 || $2 > max) max = $2;
    if (n == 0) first = $2; last = $2; n++ }
  END { print n + 0, min + 0, max + 0, first + 0, last + 0 }' "$csv")
minutes=$(awk -F, 'NR > 1 && $1 >= 60 { print int($1 / 60), $2 }' "$csv" \
  | sort -k1,1n -k2,2n \
  | awk '{ v[$1] = v[$1] " " $2 } END {
      for (m in v) { k = split(v[m], a, " "); printf "%d %d\n", m, (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 } }' \
  | sort -n)
read -r n_minutes min_median max_median < <(echo "$minutes" | awk '
  NF == 2 { if (n == 0 || $2 < lo) lo = $2; if (n == 0 || $2 > hi) hi = $2; n++ }
  END { print n + 0, lo + 0, hi + 0 }')
peak=$(awk '/^VmHWM:/ { print $2 }' "/proc/$app_pid/status")
actions=$(grep -o 'chaos: [0-9]* actions' "$log" | tail -n 1 || true)
spread=$(mib $((max - min)))
median_spread=$(mib $((max_median - min_median)))

echo "soak: no crash: the app ran $seconds s and still runs (${actions:-chaos log missing})"
echo "soak: RSS from minute 1 on ($n samples): min $(mib "$min") MiB, max $(mib "$max") MiB," \
     "first $(mib "$first") MiB, last $(mib "$last") MiB; peak (VmHWM) $(mib "$peak") MiB;" \
     "spread of the samples $spread MiB"
echo "soak: per-minute medians (MiB):" \
     "$(echo "$minutes" | awk 'NF == 2 { printf "%s%d: %.1f", n++ ? ", " : "", $1, $2 / 1024 }')"
echo "soak: spread of the per-minute medians $median_spread MiB (bound $bound_mib MiB);" \
     "samples in $csv"
if ((n_minutes < 2)); then
  echo "soak: FAIL: fewer than two minutes after the first (SOAK_SECONDS ≥ 180)"
  exit 1
fi
if awk -v s="$median_spread" -v b="$bound_mib" 'BEGIN { exit !(s > b) }'; then
  echo "soak: FAIL: resident memory grew more than $bound_mib MiB after the first minute"
  exit 1
fi
echo "soak: PASS"
