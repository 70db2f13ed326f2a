#!/usr/bin/env bash
# Installs every Debian 12 package Doléances needs to build, test and run. Idempotent: installs
# only what is missing, so a developer machine pays nothing on the second run.
set -euo pipefail

PACKAGES=(
  cmake g++ make pkg-config ca-certificates
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  libpqxx-dev prometheus-cpp-dev libgtest-dev libgmock-dev libssl-dev
  postgresql-15 postgresql-client-15 prometheus
  clang-format python3 python3-grpcio python3-protobuf procps iproute2 openssl curl jq
)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
# Node.js runs buf (proto lint) from npm. A machine may already have a Node.js of its own whose
# package bundles npm and conflicts with Debian's npm: only install what no command provides.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installing: ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
