#!/usr/bin/env bash
# build-aux/setup.sh: make this machine able to build Neural Lab, then build it.
#
# Installs the packages of build-aux/debian-packages.txt that are missing (a machine that
# has them all never touches apt), configures the Meson build directory once and runs
# ninja. The build directory is "build" unless NEURAL_LAB_BUILD_DIR says otherwise.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${NEURAL_LAB_BUILD_DIR:-build}

# Package names, without the comments of the list.
wanted_packages () {
  sed -e 's/#.*//' -e '/^[[:space:]]*$/d' build-aux/debian-packages.txt | awk '{print $1}'
}

missing_packages () {
  local pkg status
  for pkg in $(wanted_packages); do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [[ $status != installed ]]; then
      echo "$pkg"
    fi
  done
}

install_missing () {
  local missing sudo=()

  if ! command -v dpkg-query >/dev/null; then
    echo "setup: not a Debian system; install the equivalents of" \
         "build-aux/debian-packages.txt yourself" >&2
    return 0
  fi
  missing=$(missing_packages | tr '\n' ' ')
  if [[ -z ${missing// /} ]]; then
    return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null; then
      echo "setup: missing packages: $missing" >&2
      echo "setup: run this script as root, or install them with apt-get" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  echo "setup: installing $missing"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  # shellcheck disable=SC2086 # one word per package
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends $missing
}

configure () {
  # Once configured, ninja re-runs meson by itself whenever a meson.build changes.
  if [[ -f $build_dir/build.ninja ]]; then
    return 0
  fi
  if [[ -d $build_dir/meson-private ]]; then
    meson setup --reconfigure "$build_dir"
  else
    meson setup "$build_dir"
  fi
}

install_missing
configure
ninja -C "$build_dir"
