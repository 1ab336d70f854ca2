#!/usr/bin/env bash
# Gives TorchSharp 0.107 the libstdc++ it needs (GLIBCXX_3.4.32, GCC 13+) on Debian 12 / Ubuntu 22.04, whose own
# libstdc++ is older. On Debian it adds trixie as an apt source pinned at priority 100 (nothing else is upgraded by
# default) and installs trixie's libstdc++6, which also upgrades glibc. Idempotent; about 20 s. Run as root (or sudo).
set -eu
lib=$(ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/{print $NF; exit}')
if strings "$lib" | grep -q GLIBCXX_3.4.32; then echo "libstdc++ ok ($lib has GLIBCXX_3.4.32)"; exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" | $SUDO tee /etc/apt/sources.list.d/trixie.sources >/dev/null
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | $SUDO tee /etc/apt/preferences.d/trixie >/dev/null
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t trixie libstdc++6 >/dev/null
else
  echo "Not Debian: install a libstdc++ from GCC 13 or newer (Ubuntu 22.04: the ubuntu-toolchain-r/test PPA, package libstdc++6)." >&2
  exit 1
fi
lib=$(ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/{print $NF; exit}')
strings "$lib" | grep -q GLIBCXX_3.4.32 && echo "libstdc++ upgraded ($lib)"
