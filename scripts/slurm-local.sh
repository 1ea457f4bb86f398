#!/usr/bin/env bash
# A throw-away single-node Slurm cluster on this machine, for the job-array test (test/cluster/slurm-array.test.ts)
# and for trying examples/cluster/slurm-sweep.sh by hand:
#
#   scripts/slurm-local.sh start [DIR]    install slurm-wlm + munge with apt if missing, write DIR/slurm.conf, start
#                                         munged, slurmctld and slurmd (no systemd), wait until the node is idle;
#                                         prints SLURM_CONF=DIR/slurm.conf (export it for sbatch, squeue, sinfo)
#   scripts/slurm-local.sh status [DIR]   the daemons' pids and `sinfo`; exit 0 when the node is up
#   scripts/slurm-local.sh stop [DIR]     cancel the cluster's jobs, stop the three daemons (by their pid files),
#                                         remove DIR
#
# DIR (default $CHEMOFRAC_SLURM_DIR, else /tmp/chemofrac-slurm) holds everything: the config, a fresh munge key,
# the munge socket, state, spool, pid and log files. Nothing is written to /etc and no system service is started:
# the daemons run as root from DIR, controller and node on 127.0.0.1 only, on two free ports picked from
# 16817 upwards (so several clusters, e.g. two test runs, can coexist). The node is `localhost` with this
# machine's CPU count and memory (as `slurmd -C` sees them), in one partition `local`.
#
# Exit codes: 0 ok; 2 Slurm cannot be had here (no apt-get, not root, install failed); 3 a daemon did not start
# or the node did not become idle in time (the logs' tails are printed). Needs bash, root for the apt install.
set -euo pipefail

cmd=${1:-}
DIR=${2:-${CHEMOFRAC_SLURM_DIR:-/tmp/chemofrac-slurm}}
WAIT_S=${CHEMOFRAC_SLURM_WAIT_S:-60}

die() {
  local code=$1
  shift
  echo "slurm-local: $*" >&2
  exit "$code"
}

have_slurm() {
  local b
  for b in slurmctld slurmd munged sbatch squeue sinfo scancel; do
    command -v "$b" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$b" >/dev/null 2>&1 || return 1
  done
}

# Run an apt-get command; while another apt holds a lock (apt-get update does not wait for the lists lock, whatever
# DPkg::Lock::Timeout says) try again every 3 s, for at most 5 minutes. Other errors are printed and returned.
apt_retry() {
  local out t0=$SECONDS
  while true; do
    if out=$("$@" 2>&1); then return 0; fi
    if ! grep -qE 'Could not get lock|Unable to lock|Unable to acquire' <<<"$out" || [ $((SECONDS - t0)) -gt 300 ]; then
      echo "$out" | tail -n 5 >&2
      return 1
    fi
    sleep 3
  done
}

install_slurm() {
  have_slurm && return 0
  command -v apt-get >/dev/null 2>&1 || die 2 "slurm-wlm/munge are not installed and apt-get is not available; install Slurm and MUNGE by hand"
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      die 2 "slurm-wlm/munge are not installed and this is not root (no passwordless sudo): apt-get install slurm-wlm munge"
    fi
  fi
  echo "slurm-local: installing slurm-wlm and munge with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Another apt (e.g. scripts/install-chromium.sh from a test running in parallel) may hold the lock: wait for it.
  local apt=(apt-get -o DPkg::Lock::Timeout=300 -qq)
  # The packages' maintainer scripts must not start system-wide munge/slurm services (policy-rc.d, when there is
  # none already, is removed again afterwards).
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e "$policy" ] && [ -z "$sudo" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
  fi
  local ok=0
  if apt_retry $sudo "${apt[@]}" update && apt_retry $sudo "${apt[@]}" install -y --no-install-recommends slurm-wlm munge; then
    ok=1
  fi
  [ "$own_policy" = 1 ] && rm -f "$policy"
  [ "$ok" = 1 ] || die 2 "apt-get install slurm-wlm munge failed (is the Debian archive reachable?)"
  have_slurm || die 2 "slurm-wlm/munge installed but slurmctld, slurmd or munged is still not on PATH"
}

# true when something listens on TCP port $1 (IPv4 or IPv6), from /proc/net/tcp*
port_busy() {
  local hex
  hex=$(printf '%04X' "$1")
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p=":$hex" '$2 ~ p"$" && $4 == "0A" { found = 1 } END { exit !found }'
}

free_port() {
  local p=$1
  while port_busy "$p" || [ "$p" = "${2:-}" ]; do p=$((p + 1)); done
  echo "$p"
}

# pid from a pid file, when that process is alive
live_pid() {
  local f=$1 pid
  [ -s "$f" ] || return 1
  pid=$(cat "$f")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

node_state() {
  SLURM_CONF="$DIR/slurm.conf" sinfo -h -N -n localhost -o '%T' 2>/dev/null | head -n1 || true
}

# a start that failed half-way: show the logs, stop what did start, remove DIR
fail_start() {
  logs_tail
  stop
  die 3 "$*"
}

logs_tail() {
  local f
  for f in "$DIR"/log/*.log; do
    [ -f "$f" ] || continue
    echo "--- $f" >&2
    tail -n 15 "$f" >&2
  done
}

start() {
  install_slurm
  export PATH="$PATH:/usr/sbin:/sbin"
  if [ -n "$(live_pid "$DIR/slurmctld.pid" || true)" ]; then
    die 3 "a cluster already runs from $DIR (scripts/slurm-local.sh stop $DIR first)"
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"/{munge,state,spool,log}
  chmod 700 "$DIR" "$DIR/munge"

  # MUNGE: a fresh key for this cluster only, the socket inside DIR.
  dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$DIR/munge/munge.key"
  local sock="$DIR/munge/munge.socket"
  munged --force --key-file="$DIR/munge/munge.key" --socket="$sock" --pid-file="$DIR/munged.pid" \
    --log-file="$DIR/log/munged.log" --seed-file="$DIR/munge/munged.seed" ||
    fail_start "munged did not start"

  local conf cpus mem ctld_port slurmd_port
  conf=$(slurmd -C 2>/dev/null | head -n1 || true)
  cpus=$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$conf")
  mem=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$conf")
  [ -n "$cpus" ] || cpus=$(nproc)
  [ -n "$mem" ] || mem=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
  ctld_port=$(free_port 16817)
  slurmd_port=$(free_port $((ctld_port + 1)) "$ctld_port")

  cat >"$DIR/slurm.conf" <<EOF
# Written by scripts/slurm-local.sh: a single-node cluster on 127.0.0.1, state in $DIR.
ClusterName=chemofrac-local
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
SchedulerParameters=sched_interval=2
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$DIR/slurm.conf"

  # -i: ignore state files (there are none: a fresh cluster); -N: this node's name in slurm.conf.
  slurmctld -i -f "$SLURM_CONF" || fail_start "slurmctld did not start"
  slurmd -f "$SLURM_CONF" -N localhost || fail_start "slurmd did not start"

  local t0=$SECONDS state=""
  while [ $((SECONDS - t0)) -lt "$WAIT_S" ]; do
    state=$(node_state)
    case "$state" in
      idle* | mixed* | allocated*) break ;;
    esac
    sleep 0.5
  done
  case "$state" in
    idle* | mixed* | allocated*) ;;
    *)
      fail_start "node localhost is '${state:-unknown}', not idle, after ${WAIT_S} s"
      ;;
  esac
  echo "slurm-local: node localhost idle ($cpus CPUs, ${mem} MB) on ports $ctld_port/$slurmd_port" >&2
  echo "SLURM_CONF=$SLURM_CONF"
}

status() {
  export PATH="$PATH:/usr/sbin:/sbin"
  local d pid up=1
  for d in munged slurmctld slurmd; do
    if pid=$(live_pid "$DIR/$d.pid"); then echo "$d: running (pid $pid)"; else
      echo "$d: not running"
      up=0
    fi
  done
  [ -f "$DIR/slurm.conf" ] && SLURM_CONF="$DIR/slurm.conf" sinfo 2>&1 || true
  [ "$up" = 1 ]
}

stop() {
  export PATH="$PATH:/usr/sbin:/sbin"
  if [ -f "$DIR/slurm.conf" ] && [ -n "$(live_pid "$DIR/slurmctld.pid" || true)" ]; then
    export SLURM_CONF="$DIR/slurm.conf"
    # Cancel what still runs so that no job step outlives its cluster.
    scancel --full --quiet --partition=local 2>/dev/null || true
    local t0=$SECONDS
    while [ $((SECONDS - t0)) -lt 15 ] && [ -n "$(squeue -h -o %i 2>/dev/null || true)" ]; do sleep 0.5; done
  fi
  # SIGTERM to all three at once, then wait (each up to 10 s, then SIGKILL).
  local d pid pids=() t0
  for d in slurmd slurmctld munged; do
    pid=$(live_pid "$DIR/$d.pid") || continue
    kill "$pid" 2>/dev/null || true
    pids+=("$pid")
  done
  for pid in "${pids[@]}"; do
    t0=$SECONDS
    while kill -0 "$pid" 2>/dev/null && [ $((SECONDS - t0)) -lt 10 ]; do sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$DIR"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  install) install_slurm ;;
  *)
    echo "usage: scripts/slurm-local.sh start|status|stop [DIR]   (install: only install slurm-wlm and munge)" >&2
    exit 64
    ;;
esac
