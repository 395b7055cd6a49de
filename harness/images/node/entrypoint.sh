#!/bin/bash
# kconform node entrypoint (PID 1 of a kind node container until it execs
# systemd). Written for kconform's offline node images:
#  - cgroup v1: kubelet runs with cgroupRoot /kubelet and the systemd driver,
#    so every v1 hierarchy gets "kubelet" and "kubelet.slice" (cpuset values
#    copied from the parent), each bind-mounted onto itself;
#  - makes / a recursive shared mount (mount propagation for pods);
#  - gives the node a fresh machine-id;
#  - then execs systemd.
set -o errexit -o nounset -o pipefail

say() { echo "kconform-node: $*"; }

prepare_cgroup_v1() {
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    say "cgroup v2: nothing to prepare"
    return
  fi
  local mp sub seen=" "
  # mount points of every cgroup (v1) filesystem: field 5 of mountinfo
  while read -r mp; do
    case "$seen" in *" $mp "*) continue ;; esac
    seen="$seen$mp "
    for sub in kubelet kubelet.slice; do
      mkdir -p "$mp/$sub"
      if [ -f "$mp/cpuset.cpus" ]; then
        cat "$mp/cpuset.cpus" >"$mp/$sub/cpuset.cpus"
        cat "$mp/cpuset.mems" >"$mp/$sub/cpuset.mems"
      fi
      mount --bind "$mp/$sub" "$mp/$sub"
    done
  done < <(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i+1) == "cgroup") print $5; break } }' /proc/self/mountinfo)
  say "cgroup v1: kubelet and kubelet.slice prepared in:$seen"
}

fresh_machine_id() {
  rm -f /etc/machine-id /var/lib/dbus/machine-id
  if command -v systemd-machine-id-setup >/dev/null; then
    systemd-machine-id-setup >/dev/null 2>&1
  else
    tr -d '-' </proc/sys/kernel/random/uuid >/etc/machine-id
  fi
}

prepare_cgroup_v1
mount --make-rshared /
fresh_machine_id
# kubelet's OOM watcher reads /dev/kmsg
[ -e /dev/kmsg ] || ln -s /dev/console /dev/kmsg
say "starting systemd"
exec /lib/systemd/systemd "$@"
