#!/usr/bin/env bash
# A single-node Slurm on this machine, from Debian's packages (slurmctld, slurmd, slurm-client, munge), for testing
# `trirl sweep slurm` against a real scheduler.
#
#   bash tests/slurm/local-cluster.sh start    # install when missing, munge key, slurm.conf, start the daemons
#   bash tests/slurm/local-cluster.sh status   # sinfo
#   bash tests/slurm/local-cluster.sh stop     # scontrol shutdown, then munged by its pid
#
# Needs root (or sudo). Idempotent: `start` on a running cluster only checks that the node is idle, `stop` on a stopped
# one does nothing. The configuration is written to /etc/slurm/slurm.conf (where sbatch, squeue and sinfo look for it)
# only when that file is absent or was written by this script; state and logs live under /var/lib/trirl-slurm and
# /var/log/trirl-slurm. One partition `debug` holds the local node with the CPUs and memory `slurmd -C` reports;
# no accounting storage (so `sacct` has nothing: `trirl sweep slurm --wait` reads squeue and the tasks' exit markers).
set -euo pipefail

action="${1:-}"
conf=/etc/slurm/slurm.conf
marker="# written by trirl tests/slurm/local-cluster.sh"
state=/var/lib/trirl-slurm
logs=/var/log/trirl-slurm
run=/run/trirl-slurm

if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
as_root() { "${sudo[@]}" "$@"; }
say() { echo "local-cluster: $*"; }
die() { echo "local-cluster: error: $*" >&2; exit 1; }

install_packages() {
  local missing=()
  for p in munge slurmctld slurmd slurm-client; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

munge_running() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

start_munge() {
  if munge_running; then return 0; fi
  if [[ ! -s /etc/munge/munge.key ]]; then
    say "creating the munge key"
    if command -v mungekey >/dev/null; then as_root mungekey --create --keyfile=/etc/munge/munge.key --force
    else as_root dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; fi
  fi
  as_root chown munge:munge /etc/munge/munge.key
  as_root chmod 0400 /etc/munge/munge.key
  as_root mkdir -p /run/munge /var/log/munge /var/lib/munge
  as_root chown munge:munge /run/munge /var/log/munge /var/lib/munge
  as_root chmod 0755 /run/munge
  say "starting munged"
  as_root runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 1 50); do munge_running && return 0; sleep 0.1; done
  die "munged did not start (see /var/log/munge/munged.log)"
}

write_conf() {
  if [[ -f "$conf" ]] && ! grep -qF "$marker" "$conf"; then
    die "$conf exists and was not written by this script; refusing to overwrite it"
  fi
  local host node
  host=$(hostname -s)
  # `slurmd -C` prints the node line slurmd itself detects (CPUs, sockets, cores, threads, RealMemory).
  node=$(slurmd -C | head -n 1)
  [[ "$node" == NodeName=* ]] || die "slurmd -C printed no node line: $node"
  as_root mkdir -p /etc/slurm "$state/ctld" "$state/d" "$logs" "$run"
  local text
  text=$(cat <<EOF
$marker
ClusterName=trirl-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MaxArraySize=10001
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$run/slurmctld.pid
SlurmdPidFile=$run/slurmd.pid
SlurmctldLogFile=$logs/slurmctld.log
SlurmdLogFile=$logs/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
)
  if [[ ! -f "$conf" ]] || [[ "$(cat "$conf")" != "$text" ]]; then
    printf '%s\n' "$text" | as_root tee "$conf" >/dev/null
    say "wrote $conf ($node)"
  fi
}

pid_alive() { [[ -f "$1" ]] && as_root kill -0 "$(cat "$1")" 2>/dev/null; }

node_state() { sinfo -h -N -o '%T' 2>/dev/null | head -n 1; }

start() {
  install_packages
  start_munge
  write_conf
  if ! pid_alive "$run/slurmctld.pid"; then say "starting slurmctld"; as_root slurmctld; fi
  if ! pid_alive "$run/slurmd.pid"; then say "starting slurmd"; as_root slurmd; fi
  local s=""
  for i in $(seq 1 60); do
    s=$(node_state || true)
    case "$s" in
      idle|mixed|allocated) break ;;
      down*|drain*|unknown*|"") [[ $i -eq 10 ]] && as_root scontrol update nodename="$(hostname -s)" state=resume 2>/dev/null || true ;;
    esac
    sleep 0.5
  done
  case "$s" in
    idle|mixed|allocated) sinfo; say "running (node $s)" ;;
    *) sinfo || true; die "the node is '${s:-not reported}' after 30 s (logs in $logs)" ;;
  esac
}

# A process has ended when /proc has no entry for it, or only a zombie waiting to be reaped.
ended() { [[ ! -e /proc/$1 ]] || [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) == Z ]]; }

# Waits up to $1 tenths of a second for the pids that follow to end; returns non-zero if one is still running.
wait_ended() {
  local tenths=$1; shift
  for _ in $(seq 1 "$tenths"); do
    local running=0
    for pid in "$@"; do ended "$pid" || running=1; done
    [[ $running -eq 0 ]] && return 0
    sleep 0.1
  done
  return 1
}

stop() {
  local daemons=()
  for f in "$run/slurmctld.pid" "$run/slurmd.pid"; do
    if pid_alive "$f"; then daemons+=("$(cat "$f")"); fi
  done
  if [[ ${#daemons[@]} -gt 0 ]]; then
    say "scontrol shutdown"
    as_root scontrol shutdown >/dev/null 2>&1 || true
    # A daemon that did not hear the shutdown (e.g. slurmd without a controller) is ended by its pid.
    if ! wait_ended 100 "${daemons[@]}"; then
      for pid in "${daemons[@]}"; do ended "$pid" || as_root kill "$pid" 2>/dev/null || true; done
      wait_ended 50 "${daemons[@]}" || die "slurm daemons ${daemons[*]} did not stop"
    fi
  fi
  if [[ -f /run/munge/munged.pid ]] && as_root kill -0 "$(cat /run/munge/munged.pid)" 2>/dev/null; then
    local munged
    munged=$(cat /run/munge/munged.pid)
    say "stopping munged"
    as_root kill "$munged"
    wait_ended 50 "$munged" || die "munged ($munged) did not stop"
  fi
  say "stopped"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  status) sinfo ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
