#!/usr/bin/env bash
# tests/soak/soak.sh: the ten-minute soak test of the application (opt-in, not in the suite).
#
# Starts neural-lab under Xvfb on an example, training at full speed, with
# NEURAL_LAB_CHAOS=1 making the app inject a random action every 250 ms (play/pause,
# neurons and layers, optimizer, learning rate up to 10, data, steps, resets, weights; see
# src/app/nl-chaos.c). It samples the resident memory (VmRSS in /proc/PID/status) every 10 s
# and ends with whether the app crashed, whether its memory stayed flat after the first
# minute (max − min of the samples from minute 1 to the end) and whether its window kept its
# size. It fails when the app died, when that spread exceeds SOAK_RSS_BOUND_MIB (default 20)
# or when the window grew (a label asking for more room than it has, as a loss of 300 digits
# once did, widens the window past the screen and every surface with it). It prints
# per-minute medians and floors too, and the app's own log (soak-app.log) has a line a
# minute with the heap in use and held by malloc, which tells a leak (in use grows) from
# fragmentation (only held grows). It also prints, without judging them, the trend of RSS
# from minute 2 on and the heap in use outside the timeline each minute. The timeline takes
# its whole budget (64 MiB) at the first epoch and keeps it (nn-timeline.h), so it moves
# nothing after that. NEURAL_LAB_CHAOS_TRACE=1 logs every action with its time, and
# SOAK_INTERVAL=1 samples every second, to find what a step follows.
# tests/soak/timeline-fill.c measures how fast the timeline and the loss history fill
# without a window.
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

source tests/soak/chaos-env.sh

mib () { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# VmRSS, its anonymous (heap, stacks) and file-backed (code, fonts) parts, and the peak so
# far (VmHWM, which tells when a spike between two samples happened), in KiB.
rss_kib () {
  awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } /^VmHWM:/ { h = $2 }
       END { if (r != "") print r "," a "," f "," h }' "/proc/$1/status" 2>/dev/null || true
}

csv=$out/soak-rss.csv
log=$out/soak-app.log
echo "seconds,rss_kib,anon_kib,file_kib,hwm_kib" >"$csv"
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
    printf 'soak: %4d s  RSS %6.1f MiB (anonymous %6.1f, files %5.1f)\n' "$elapsed" \
      "$(mib "${rss%%,*}")" "$(mib "$(echo "$rss" | cut -d, -f2)")" \
      "$(mib "$(echo "$rss" | cut -d, -f3)")"
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

# Flat after the first minute: the verdict is the spread (max − min) of the samples from
# minute 1 on. To tell what moved, it also prints per-minute medians and floors (lowest
# sample) of RSS and the floors of its anonymous part; the app's log has the heap in use
# and held by malloc once a minute. RSS includes the shared memory cairo's X11 backend
# uploads pictures through (RSS − anonymous − files), which grows with the window.
read -r n min max first last < <(awk -F, 'NR > 1 && $1 >= 60 {
    if (n == 0 || $2 < min) min = $2; if (n == 0 || $2 > max) max = $2;
    if (n == 0) first = $2; last = $2; n++ }
  END { print n + 0, min + 0, max + 0, first + 0, last + 0 }' "$csv")
# Minute m holds the samples in [60 m, 60 m + 60); the last sample, at SOAK_SECONDS,
# counts in the last whole minute. Prints "minute value" lines of column `col`.
per_minute () {
  local col=$1 how=$2
  awk -F, -v col="$col" -v last=$((seconds / 60 - 1)) 'NR > 1 && $1 >= 60 {
      m = int($1 / 60); if (m > last && last >= 1) m = last; print m, $col }' "$csv" \
    | sort -k1,1n -k2,2n \
    | awk -v how="$how" '{ v[$1] = v[$1] " " $2 } END { for (m in v) { k = split(v[m], a, " ");
        if (how == "min") x = a[1];
        else x = (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2;
        printf "%d %d\n", m, x } }' \
    | sort -n
}
floors=$(per_minute 2 min)
medians=$(per_minute 2 median)
anon_floors=$(per_minute 3 min)
read -r min_floor max_floor < <(echo "$floors" | awk '
  NF == 2 { if (n == 0 || $2 < lo) lo = $2; if (n == 0 || $2 > hi) hi = $2; n++ }
  END { print lo + 0, hi + 0 }')
peak=$(awk '/^VmHWM:/ { print $2 }' "/proc/$app_pid/status")
# The trend: the least-squares slope of RSS against time over the samples from minute 2
# on, in MiB a minute. A leak shows as a steady slope, content that comes and goes with
# the lesson (the timeline, the network's size, frames in flight) as scatter around none.
slope=$(awk -F, 'NR > 1 && $1 >= 120 { n++; x = $1 / 60; y = $2 / 1024;
    sx += x; sy += y; sxx += x * x; sxy += x * y }
  END { d = n * sxx - sx * sx; if (n >= 2 && d > 0) printf "%.2f", (n * sxy - sx * sy) / d;
        else print "n/a" }' "$csv")
actions=$(grep -o 'chaos: [0-9]* actions' "$log" | tail -n 1 || true)
spread=$(mib $((max - min)))
floor_spread=$(mib $((max_floor - min_floor)))
format_minutes () {
  awk 'NF == 2 { printf "%s%d: %.1f", n++ ? ", " : "", $1, $2 / 1024 }'
}

echo "soak: no crash: the app ran $seconds s and still runs (${actions:-chaos log missing})"
echo "soak: per-minute medians of RSS (MiB): $(echo "$medians" | format_minutes)"
echo "soak: per-minute floors of RSS (MiB): $(echo "$floors" | format_minutes)" \
     "(spread $floor_spread MiB)"
echo "soak: per-minute floors of its anonymous part (MiB): $(echo "$anon_floors" | format_minutes)"
echo "soak: RSS from minute 1 on ($n samples): min $(mib "$min") MiB, max $(mib "$max") MiB," \
     "first $(mib "$first") MiB, last $(mib "$last") MiB; peak (VmHWM) $(mib "$peak") MiB"
echo "soak: trend of RSS from minute 2 on: $slope MiB a minute (printed, not judged)"
# The heap in use beside the timeline, from the app's line a minute (nl-chaos.c; the first
# line is at the start): what a leak grows, without the timeline's swing by design between
# half its budget and all of it when it thins, nor what the allocator keeps.
outside=$(grep -o 'outside the timeline [0-9.-]* MiB' "$log" | awk 'NR > 1 { print $4 }' || true)
if [[ -n $outside ]]; then
  echo "soak: heap in use outside the timeline, a minute apart from minute 1 (MiB):" \
       "$(echo "$outside" | paste -sd, - | sed 's/,/, /g') (spread" \
       "$(echo "$outside" | awk 'NR == 1 || $1 < lo { lo = $1 } NR == 1 || $1 > hi { hi = $1 }
                                 END { printf "%.1f", hi - lo }') MiB; printed, not judged)"
fi
# The window's size when first shown and the largest since (nl-chaos.c reports both).
read -r first_size largest_size < <(grep -o 'first [0-9]*×[0-9]*, largest [0-9]*×[0-9]*' "$log" |
  tail -n 1 | awk '{ sub(",", "", $2); print $2, $4 }')
echo "soak: window first ${first_size:-?}, largest ${largest_size:-?}"
echo "soak: max − min from minute 1 on: $spread MiB (bound $bound_mib MiB); samples in $csv"
if ((n < 2)); then
  echo "soak: FAIL: too few samples after the first minute (SOAK_SECONDS ≥ 80)"
  exit 1
fi
if awk -v s="$spread" -v b="$bound_mib" 'BEGIN { exit !(s > b) }'; then
  echo "soak: FAIL: resident memory moved by more than $bound_mib MiB after the first minute"
  exit 1
fi
if [[ -z ${first_size:-} || $first_size != "$largest_size" ]]; then
  echo "soak: FAIL: the window grew from ${first_size:-?} to ${largest_size:-?}"
  exit 1
fi
echo "soak: PASS"
