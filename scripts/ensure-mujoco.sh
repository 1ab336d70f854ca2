#!/usr/bin/env bash
# Installs MuJoCo 2.2.2 as Debian 12 ships it, for the locomotion tasks (libmujoco2.2.2), and what the tests need to
# check the struct offsets against its headers (libmujoco-dev, a C compiler). Idempotent. Run as root (or sudo).
set -eu
have_lib() { ldconfig -p | grep -q 'libmujoco\.so\.2\.2\.2'; }
if have_lib && [ -f /usr/include/mujoco/mujoco.h ] && command -v cc >/dev/null; then
  echo "MuJoCo ok (libmujoco.so.2.2.2, headers, cc)"; exit 0
fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libmujoco2.2.2 libmujoco-dev gcc libc6-dev >/dev/null
have_lib && echo "MuJoCo installed ($(ldconfig -p | awk '/libmujoco\.so\.2\.2\.2/{print $NF; exit}'))"
