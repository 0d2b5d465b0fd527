#!/usr/bin/env bash
# Installs the Debian (bookworm) packages adze needs to build and test, only
# those that are missing. Idempotent: a second run installs nothing.
set -euo pipefail

packages=(
  cmake ninja-build g++ make pkg-config
  libyaml-cpp-dev libyaml-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  libcurl4-openssl-dev libssl-dev libpugixml-dev libcpp-httplib-dev prometheus-cpp-dev
  python3-kubernetes prometheus chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
