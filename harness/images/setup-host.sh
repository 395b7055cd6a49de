#!/usr/bin/env bash
# kconform host setup for the offline testbed.
#
#   harness/images/setup-host.sh
#
# - installs what the image builder needs from Debian's packages when missing
#   (docker.io, debootstrap, busybox-static, ...): one `apt-get update`, one
#   `apt-get install`;
# - starts dockerd in the background (log: $KCONFORM_CACHE/dockerd.log) when
#   `docker info` fails, and waits for it;
# - raises fs.inotify.max_user_instances / max_user_watches (kind's advice);
# - probes whether privileged containers (and `docker exec --privileged`)
#   work; only if they fail for lack of CAP_SYS_RESOURCE in this machine's
#   bounding set, installs kconform's runc wrapper (runc-shim/) as Docker's
#   default runtime and reloads dockerd. A normal Docker host is untouched.
# Idempotent: a second run changes nothing.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KC_STEP_TOTAL=5
CHANGES=()
PROBE_REF="kconform/probe:busybox"
SHIM_DIR=/usr/local/lib/kconform
SHIM_BIN="$SHIM_DIR/runc-shim"
DAEMON_JSON=/etc/docker/daemon.json

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-host.sh must run as root (it installs packages and starts dockerd)" >&2
  exit 1
fi

# ---------------------------------------------------------------- packages
kc_step packages
NEEDED=(docker.io debootstrap busybox-static ca-certificates iptables)
MISSING=()
for p in "${NEEDED[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || MISSING+=("$p")
done
if [ "${#MISSING[@]}" -eq 0 ]; then
  kc_say "Debian packages: all present (${NEEDED[*]})"
else
  kc_say "Debian packages: installing ${MISSING[*]}"
  kc_run apt-get update
  kc_run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${MISSING[@]}"
  CHANGES+=("installed Debian packages: ${MISSING[*]}")
  kc_info "done in $(kc_elapsed)"
fi

# ---------------------------------------------------------------- dockerd
kc_step dockerd
DOCKERD_LOG="$KC_CACHE/dockerd.log"
start_dockerd() {
  command -v dockerd >/dev/null || kc_fail "dockerd not found after install"
  # A dockerd that was killed (machine or container restarted) leaves its pid
  # file, and the next dockerd refuses to start ("pid file found"). Remove it
  # only when the pid in it is not a running dockerd.
  local pidfile=/var/run/docker.pid stale
  if [ -f "$pidfile" ]; then
    stale=$(cat "$pidfile" 2>/dev/null)
    if [ -z "$stale" ] || [ "$(cat "/proc/$stale/comm" 2>/dev/null)" != dockerd ]; then
      rm -f "$pidfile"
      kc_info "removed a stale $pidfile (pid ${stale:-none} is not a running dockerd)"
      CHANGES+=("removed stale $pidfile")
    fi
  fi
  # Not under a caller's TMPDIR: npm test points it at a scratch folder it removes, and dockerd outlives it.
  env -u TMPDIR nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  echo $! >"$KC_CACHE/dockerd.pid"
  local i
  for i in $(seq 1 60); do
    kc_have_docker && return 0
    if ! kill -0 "$(cat "$KC_CACHE/dockerd.pid")" 2>/dev/null; then
      kc_fail "dockerd exited at start" "$DOCKERD_LOG"
    fi
    sleep 1
  done
  kc_fail "dockerd did not answer 'docker info' within 60s" "$DOCKERD_LOG"
}
dockerd_pid() {
  pidof dockerd 2>/dev/null | awk '{print $1}'
}
if kc_have_docker; then
  kc_say "dockerd: running ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
else
  kc_say "dockerd: starting (log $DOCKERD_LOG)"
  start_dockerd
  CHANGES+=("started dockerd (pid $(cat "$KC_CACHE/dockerd.pid"), log $DOCKERD_LOG)")
  kc_info "dockerd $(docker version -f '{{.Server.Version}}') up in $(kc_elapsed)"
fi

# ---------------------------------------------------------------- sysctl
kc_step sysctl
set_sysctl() { # key minimum
  local cur
  cur=$(sysctl -n "$1" 2>/dev/null || echo 0)
  if [ "$cur" -lt "$2" ]; then
    if sysctl -w "$1=$2" >>"$KC_STEP_LOG" 2>&1; then
      CHANGES+=("sysctl $1: $cur -> $2")
    else
      echo "    warning: could not raise $1 (now $cur)" >&2
    fi
  fi
}
set_sysctl fs.inotify.max_user_instances 8192
set_sysctl fs.inotify.max_user_watches 524288
kc_say "sysctl: fs.inotify.max_user_instances=$(sysctl -n fs.inotify.max_user_instances) max_user_watches=$(sysctl -n fs.inotify.max_user_watches)"

# ---------------------------------------------------------------- probe
kc_step privileged-probe
make_probe_image() {
  local d
  d=$(mktemp -d)
  mkdir -p "$d/bin" "$d/tmp" "$d/proc" "$d/sys" "$d/dev" "$d/etc"
  cp /bin/busybox "$d/bin/busybox"
  ln -s busybox "$d/bin/sh"
  ln -s busybox "$d/bin/sleep"
  ln -s busybox "$d/bin/true"
  tar -C "$d" -c . | docker import --change 'CMD ["/bin/sh"]' - "$PROBE_REF" >/dev/null
  rm -rf "$d"
}
# probe: prints nothing and returns 0 when privileged run + exec work;
# otherwise prints the error text and returns 1.
probe() {
  local out cid
  if ! out=$(docker run --rm --privileged "$PROBE_REF" /bin/true 2>&1); then
    echo "$out"
    return 1
  fi
  if ! cid=$(docker run -d --privileged "$PROBE_REF" /bin/sleep 30 2>&1); then
    echo "$cid"
    return 1
  fi
  if ! out=$(docker exec --privileged "$cid" /bin/true 2>&1); then
    docker rm -f "$cid" >/dev/null 2>&1 || true
    echo "$out"
    return 1
  fi
  docker rm -f "$cid" >/dev/null 2>&1 || true
  return 0
}
if ! docker image inspect "$PROBE_REF" >/dev/null 2>&1; then
  kc_run make_probe_image
fi
PROBE_ERR=""
if PROBE_ERR=$(probe); then
  kc_say "privileged containers: work (no runtime change)"
  NEED_SHIM=0
else
  echo "$PROBE_ERR" >>"$KC_STEP_LOG"
  capbnd=$(awk '/^CapBnd/{print $2}' /proc/self/status)
  # CAP_SYS_RESOURCE is capability 24.
  if grep -qiE 'apply caps|operation not permitted|oom_score_adj' <<<"$PROBE_ERR" &&
    [ $(((0x$capbnd >> 24) & 1)) -eq 0 ]; then
    kc_say "privileged containers: FAIL (bounding set lacks CAP_SYS_RESOURCE): installing runc wrapper"
    NEED_SHIM=1
  else
    kc_fail "privileged probe container: $PROBE_ERR"
  fi
fi

# ---------------------------------------------------------------- runc shim
kc_step runc-shim
build_shim() {
  local real out
  real=$(command -v runc || true)
  [ -n "$real" ] || real=/usr/sbin/runc
  out="$KC_CACHE/bin/runc-shim"
  (cd "$KC_IMAGES_DIR/runc-shim" &&
    CGO_ENABLED=0 GOFLAGS=-mod=mod GOCACHE="$KC_CACHE/gocache" GOMODCACHE="$KC_CACHE/gomodcache" \
      go build -trimpath -ldflags "-s -w -X main.realRunc=$real" -o "$out.tmp" . && mv "$out.tmp" "$out")
  mkdir -p "$SHIM_DIR"
  install -m 0755 "$out" "$SHIM_BIN.new"
  mv "$SHIM_BIN.new" "$SHIM_BIN"
}
merge_daemon_json() {
  mkdir -p "$(dirname "$DAEMON_JSON")"
  [ -f "$DAEMON_JSON" ] && cp "$DAEMON_JSON" "$DAEMON_JSON.kconform-backup"
  python3 - "$DAEMON_JSON" "$SHIM_BIN" <<'PY'
import json, os, sys
path, shim = sys.argv[1], sys.argv[2]
cfg = {}
if os.path.exists(path) and os.path.getsize(path) > 0:
    with open(path) as f:
        cfg = json.load(f)
cfg.setdefault("runtimes", {})["kconform-runc"] = {"path": shim}
cfg["default-runtime"] = "kconform-runc"
with open(path + ".tmp", "w") as f:
    json.dump(cfg, f, indent=2)
    f.write("\n")
os.replace(path + ".tmp", path)
PY
}
if [ "$NEED_SHIM" = 1 ]; then
  kc_run build_shim
  CHANGES+=("installed runc wrapper $SHIM_BIN (source harness/images/runc-shim)")
  if ! grep -q '"kconform-runc"' "$DAEMON_JSON" 2>/dev/null ||
    ! grep -q '"default-runtime": "kconform-runc"' "$DAEMON_JSON" 2>/dev/null; then
    kc_run merge_daemon_json
    CHANGES+=("$DAEMON_JSON: runtimes.kconform-runc=$SHIM_BIN, default-runtime=kconform-runc")
  fi
  pid=$(dockerd_pid)
  kill -HUP "$pid"
  CHANGES+=("reloaded dockerd (SIGHUP pid $pid)")
  sleep 2
  if ! PROBE_ERR=$(probe); then
    kc_info "still failing after SIGHUP: restarting dockerd"
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    start_dockerd
    CHANGES+=("restarted dockerd (pid $(cat "$KC_CACHE/dockerd.pid"))")
    PROBE_ERR=$(probe) || kc_fail "privileged probe after installing runc wrapper: $PROBE_ERR" "$DOCKERD_LOG"
  fi
  kc_say "runc wrapper: default runtime; privileged run + exec now work"
else
  if grep -q '"default-runtime": "kconform-runc"' "$DAEMON_JSON" 2>/dev/null; then
    kc_say "runc wrapper: already Docker's default runtime"
  else
    kc_say "runc wrapper: not needed"
  fi
fi

echo
if [ "${#CHANGES[@]}" -eq 0 ]; then
  echo "setup-host: nothing changed (host already set up)"
else
  echo "setup-host: changed:"
  printf '  - %s\n' "${CHANGES[@]}"
fi
