#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian 12 machine: the Debian packages listed in
# tools/apt-packages.txt (real OS tools the agent, image builder and VM tests drive) and checks the tools that
# Debian does not package here (.NET SDK, kubectl). Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
while read -r pkg; do
  pkg=${pkg%%#*}; pkg=$(echo "$pkg" | xargs)
  [ -z "$pkg" ] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done < tools/apt-packages.txt

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
command -v kubectl >/dev/null || { echo "setup: kubectl is required: the sandbox tests drive it against the sandbox API server" >&2; exit 1; }
