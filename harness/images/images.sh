# shellcheck shell=bash
# kconform offline testbed: image assembly (sourced by build.sh/status.sh
# after artefacts.sh). Lean images are a handful of files made with
# `docker import`; the Debian pieces they need come from .deb files unpacked
# with dpkg-deb (no dpkg database, no apt, no maintainer scripts).

# Debian packages of the node root filesystems (debootstrap --variant=minbase).
NODE_PACKAGES=(systemd dbus containerd runc iptables conntrack iproute2 procps kmod libseccomp2)
NODE_DOCKER_PACKAGES=(docker.io)

# Debian packages inside each lean image.
image_packages() {
  case "$1" in
    img/kube-proxy) echo iptables conntrack ;;
    img/flannel) echo iptables busybox-static ;;
    # what kube-router runs: ipset, iptables(-save/-restore), ip, conntrack, modprobe;
    # dash for /bin/sh (busybox ash would run its own ip applet instead of iproute2)
    img/kube-router) echo dash iptables ipset iproute2 conntrack kmod busybox-static ;;
    img/agnhost) echo dash bash busybox-static curl bind9-dnsutils iproute2 netcat-openbsd iptables conntrack ;;
  esac
}

KC_TMP="$KC_CACHE/tmp"

# deb_root DIR PKG...: unpack PKG and everything it depends on (as apt
# resolves it on an empty system) into DIR. .debs are kept in $KC_CACHE/debs.
deb_root() {
  local dir="$1"
  shift
  local arch="$KC_CACHE/debs/archives" status="$KC_CACHE/debs/empty-status" list name ver f
  mkdir -p "$arch/partial" "$dir"
  : >"$status"
  local aptopts=(-o "Dir::State::status=$status" -o APT::Install-Recommends=false -o Debug::NoLocking=1)
  if ! list=$(apt-get -s "${aptopts[@]}" install "$@" 2>&1); then
    apt-get update -q
    list=$(apt-get -s "${aptopts[@]}" install "$@")
  fi
  list=$(awk '/^Inst /{ gsub(/\(/, "", $3); print $2, $3 }' <<<"$list")
  echo "debs for $*:"
  echo "$list" | sed 's/^/  /'
  local missing=()
  while read -r name ver; do
    ls "$arch/${name}_${ver//:/%3a}_"*.deb >/dev/null 2>&1 || missing+=("$name=$ver")
  done <<<"$list"
  if [ "${#missing[@]}" -gt 0 ]; then
    (cd "$arch" && { apt-get download -q -o APT::Sandbox::User=root "${missing[@]}" ||
      { apt-get update -q && apt-get download -q -o APT::Sandbox::User=root "${missing[@]}"; }; })
  fi
  while read -r name ver; do
    f=$(ls "$arch/${name}_${ver//:/%3a}_"*.deb | head -1)
    dpkg-deb -x "$f" "$dir"
  done <<<"$list"
  # what maintainer scripts would have done: loader cache, alternatives
  mkdir -p "$dir/etc"
  [ -f "$dir/etc/ld.so.conf" ] || echo 'include /etc/ld.so.conf.d/*.conf' >"$dir/etc/ld.so.conf"
  ldconfig -r "$dir"
  if [ -e "$dir/usr/sbin/xtables-nft-multi" ]; then
    local t s
    for t in iptables ip6tables; do
      for s in "" -save -restore; do ln -sfn "$t-nft$s" "$dir/usr/sbin/$t$s"; done
    done
  fi
  [ -e "$dir/bin/nc.openbsd" ] && ln -sfn nc.openbsd "$dir/bin/nc"
  # /bin/sh is dash where present: busybox's ash prefers its own applets
  # (ip, nc, wget...) over the real tools on PATH
  [ -e "$dir/bin/dash" ] && ln -sfn dash "$dir/bin/sh"
  if [ -e "$dir/bin/busybox" ]; then
    local a
    for a in $("$dir/bin/busybox" --list); do
      [ -e "$dir/bin/$a" ] || [ -e "$dir/usr/bin/$a" ] || [ -e "$dir/sbin/$a" ] || [ -e "$dir/usr/sbin/$a" ] ||
        ln -s busybox "$dir/bin/$a"
    done
  fi
  rm -rf "$dir/usr/share/doc" "$dir/usr/share/man" "$dir/usr/share/info" "$dir/usr/share/lintian" \
    "$dir/usr/share/locale" "$dir/usr/share/bug" "$dir/usr/share/bash-completion" \
    "$dir/usr/lib/x86_64-linux-gnu/gconv" "$dir/usr/share/zoneinfo"
}

# base_files DIR: the few files every image needs.
base_files() {
  local d="$1"
  mkdir -p "$d/etc" "$d/tmp" "$d/var/tmp" "$d/root" "$d/proc" "$d/sys" "$d/dev" "$d/run" "$d/usr/local/bin"
  chmod 1777 "$d/tmp" "$d/var/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$d/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$d/etc/group"
  printf 'hosts: files dns\n' >"$d/etc/nsswitch.conf"
  : >"$d/etc/hosts"
  : >"$d/etc/resolv.conf"
}

# image_rootfs NAME DIR: fill DIR with NAME's files; prints docker import
# --change arguments (one per line).
image_rootfs() {
  local n="$1" d="$2" pk
  base_files "$d"
  pk=$(image_packages "$n")
  # shellcheck disable=SC2086
  [ -z "$pk" ] || deb_root "$d" $pk >&2
  case "$n" in
    img/kube-proxy | img/kube-apiserver | img/kube-controller-manager | img/kube-scheduler)
      install -m 0755 "$(kc_path "bin/${n#img/}")" "$d/usr/local/bin/${n#img/}"
      echo "ENTRYPOINT [\"/usr/local/bin/${n#img/}\"]"
      ;;
    img/etcd)
      install -m 0755 "$(kc_path bin/etcd)/etcd" "$(kc_path bin/etcd)/etcdctl" "$d/usr/local/bin/"
      mkdir -p "$d/var/lib/etcd"
      echo 'ENTRYPOINT ["/usr/local/bin/etcd"]'
      ;;
    img/coredns)
      install -m 0755 "$(kc_path bin/coredns)/coredns" "$d/coredns"
      echo 'ENTRYPOINT ["/coredns"]'
      ;;
    img/pause)
      install -m 0755 "$(kc_path bin/pause)/pause" "$d/pause"
      echo 'ENTRYPOINT ["/pause"]'
      ;;
    img/agnhost)
      install -m 0755 "$(kc_path bin/agnhost)" "$d/agnhost"
      echo 'ENTRYPOINT ["/agnhost"]'
      echo 'CMD ["pause"]'
      ;;
    img/flannel)
      mkdir -p "$d/opt/bin" "$d/etc/kube-flannel" "$d/run/flannel"
      install -m 0755 "$(kc_path bin/flanneld)/flanneld" "$d/opt/bin/flanneld"
      echo 'ENTRYPOINT ["/opt/bin/flanneld"]'
      ;;
    img/kube-router)
      install -m 0755 "$(kc_path bin/kube-router)/kube-router" "$(kc_path bin/kube-router)/gobgp" "$d/usr/local/bin/"
      echo 'ENTRYPOINT ["/usr/local/bin/kube-router"]'
      ;;
  esac
  echo 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
}

# build_image NAME: make NAME's root filesystem, docker import it under its
# upstream name, docker save it into the cache.
build_image() {
  local n="$1" ref key out d line old changes=()
  ref=$(kc_ref "$n")
  key=$(kc_key "$n")
  out=$(kc_path "$n")
  mkdir -p "$KC_TMP" "$(dirname "$out")"
  d=$(mktemp -d "$KC_TMP/img.XXXXXX")
  while IFS= read -r line; do changes+=(--change "$line"); done < <(image_rootfs "$n" "$d")
  changes+=(--change "LABEL kconform.key=$key kconform.artefact=$n")
  old=$(docker image inspect -f '{{.Id}}' "$ref" 2>/dev/null || true)
  tar --numeric-owner -C "$d" -c . | docker import "${changes[@]}" - "$ref"
  rm -rf "$d"
  drop_old_image "$old" "$ref"
  docker save -o "$out.tmp" "$ref"
  mv "$out.tmp" "$out"
  docker image inspect -f '{{.Size}}' "$ref" | awk -v r="$ref" '{printf "%s: %.1f MB\n", r, $1/1e6}'
}

# drop_old_image ID REF: after REF was re-made, remove the image it used to
# name (ours only, and only when nothing else uses it).
drop_old_image() {
  local old="$1" ref="$2" new
  [ -n "$old" ] || return 0
  new=$(docker image inspect -f '{{.Id}}' "$ref")
  [ "$old" != "$new" ] || return 0
  [ -n "$(docker image inspect -f '{{index .Config.Labels "kconform.artefact"}}' "$old" 2>/dev/null)" ] || return 0
  docker rmi "$old" >/dev/null 2>&1 || true
}

# load_image NAME: bring a cached image back into docker.
load_image() {
  case "$1" in
    img/node | img/node-docker | img/node-lean) kc_run commit_node_image "$1" ;;
    *) kc_run docker load -i "$(kc_path "$1")" ;;
  esac
}

# ------------------------------------------------------------------ node
# build_rootfs NAME OUT: debootstrap a Debian minbase with the node packages.
build_rootfs() {
  local n="$1" out="$2" d pkgs=("${NODE_PACKAGES[@]}")
  [ "$n" = bin/node-docker-rootfs ] && pkgs+=("${NODE_DOCKER_PACKAGES[@]}")
  mkdir -p "$KC_TMP" "$(dirname "$out")"
  d="$KC_TMP/${n#bin/}"
  rm -rf "$d"
  debootstrap --variant=minbase --include="$(IFS=,; echo "${pkgs[*]}")" "$DEBIAN_SUITE" "$d" "$DEBIAN_MIRROR"
  # nothing of the build machine, no caches
  rm -rf "$d"/var/lib/apt/lists/* "$d"/var/cache/apt/* "$d"/var/cache/debconf/*-old "$d"/var/log/* \
    "$d/usr/share/doc" "$d/usr/share/man" "$d/usr/share/info" "$d/usr/share/lintian" "$d/usr/share/locale"
  mkdir -p "$d/usr/share/doc" "$d/usr/share/man" "$d/usr/share/locale"
  : >"$d/etc/machine-id"
  rm -f "$d/var/lib/dbus/machine-id"
  tar --numeric-owner -C "$d" --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* -cf "$out.tmp" .
  mv "$out.tmp" "$out"
  rm -rf "$d"
  du -h "$out"
}

# base image of a node: its debootstrapped rootfs, imported once per key.
node_base_ref() { # rootfs-artefact
  echo "kconform/${1#bin/}:$(kc_key "$1")"
}

ensure_node_base() { # rootfs-artefact
  local ref
  ref=$(node_base_ref "$1")
  docker image inspect "$ref" >/dev/null 2>&1 && return 0
  docker import --change 'ENV container=docker' --change 'ENTRYPOINT ["/usr/local/bin/kconform-entrypoint"]' \
    "$(kc_path "$1")" "$ref"
}

# preload_containerd BASE DIR IMAGES...: import image tarballs into
# containerd's k8s.io namespace with DIR as /var/lib/containerd (a bind
# mount: containerd cannot work on overlayfs). Unpacked here, once: a node
# that unpacks on first use hashes and extracts every layer at each cluster
# up (~20 s of CPU on 2 cores, agnhost's in the middle of the checks). The
# layer blobs are then dropped (as CRI's discard_unpacked_layers does), so
# the image, and the /var kind copies into each node, stay the same size.
preload_containerd() {
  local base="$1" dir="$2"
  shift 2
  mkdir -p "$dir" "$KC_TMP/preload"
  local i args=()
  for i in "$@"; do args+=(-v "$i:/images/$(basename "$(dirname "$i")")-$(basename "$i"):ro"); done
  docker run --rm --privileged --entrypoint /bin/bash -v "$dir:/var/lib/containerd" "${args[@]}" "$base" -c '
    set -e
    containerd >/tmp/containerd.log 2>&1 &
    for i in $(seq 1 60); do ctr version >/dev/null 2>&1 && break; sleep 0.5; done
    for f in /images/*.tar; do echo "import $f"; ctr -n k8s.io images import "$f"; done
    # an unpacked layer blob carries the containerd.io/uncompressed label; config and manifest blobs stay
    layers=$(ctr -n k8s.io content ls | awk "/containerd.io\/uncompressed=/ {print \$1}")
    [ -n "$layers" ] && ctr -n k8s.io content rm $layers >/dev/null
    ctr -n k8s.io images ls -q
    ctr -n k8s.io snapshots ls | tail -n +2 | wc -l | sed "s/^/unpacked snapshots: /"
    kill %1; wait || true
    # containerd frees a removed blob at its next garbage collection, which a stopped one never runs
    for l in $layers; do rm -f "/var/lib/containerd/io.containerd.content.v1.content/blobs/sha256/${l#sha256:}"; done
    du -sh /var/lib/containerd/io.containerd.content.v1.content /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs'
  if find "$dir/io.containerd.snapshotter.v1.overlayfs" -type c | grep -q .; then
    echo "preload: a layer holds a whiteout (character device), which the node image cannot carry" >&2
    return 1
  fi
}

# preload_docker BASE DIR IMAGES...: docker load the tarballs with DIR as
# /var/lib/docker of the node's own dockerd; drop its network/ state.
preload_docker() {
  local base="$1" dir="$2"
  shift 2
  mkdir -p "$dir"
  local i args=()
  for i in "$@"; do args+=(-v "$i:/images/$(basename "$(dirname "$i")")-$(basename "$i"):ro"); done
  docker run --rm --privileged --entrypoint /bin/bash -v "$dir:/var/lib/docker" "${args[@]}" "$base" -c '
    set -e
    dockerd --bridge=none --iptables=false --ip-masq=false --storage-driver=overlay2 >/tmp/dockerd.log 2>&1 &
    for i in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
    docker info >/dev/null || { tail -20 /tmp/dockerd.log; exit 1; }
    for f in /images/*.tar; do docker load -i "$f"; done
    docker images
    kill %1; wait || true
    rm -rf /var/lib/docker/network /var/lib/docker/containers/* /var/lib/docker/runtimes /var/lib/docker/tmp/*'
}

# node_stage NAME DIR: the node image's top layer.
node_stage() {
  local n="$1" s="$2" pause
  pause=$(kc_ref img/pause)
  mkdir -p "$s/usr/bin" "$s/usr/local/bin" "$s/opt/cni/bin" "$s/etc/cni/net.d" "$s/kind" \
    "$s/etc/containerd" "$s/etc/systemd/system/multi-user.target.wants" "$s/var/lib/kubelet"
  local b
  for b in kubeadm kubelet kubectl; do install -m 0755 "$(kc_path "bin/$b")" "$s/usr/bin/$b"; done
  for b in "$(kc_path bin/cni-plugins)"/*; do install -m 0755 "$b" "$s/opt/cni/bin/"; done
  install -m 0755 "$KC_IMAGES_DIR/node/entrypoint.sh" "$s/usr/local/bin/kconform-entrypoint"
  install -m 0644 "$KC_IMAGES_DIR/node/kubelet.service" "$s/etc/systemd/system/kubelet.service"
  ln -sfn /etc/systemd/system/kubelet.service "$s/etc/systemd/system/multi-user.target.wants/kubelet.service"
  sed "s#@SANDBOX_IMAGE@#$pause#" "$KC_IMAGES_DIR/node/containerd-config.toml" >"$s/etc/containerd/config.toml"
  echo "$K8S_VERSION" >"$s/kind/version"
  # units that have no business in a node container
  for b in getty@tty1.service console-getty.service serial-getty@.service systemd-udevd.service \
    systemd-udev-trigger.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
    e2scrub_reap.service fstrim.timer systemd-firstboot.service systemd-journald-audit.socket; do
    ln -sfn /dev/null "$s/etc/systemd/system/$b"
  done
  if [ "$n" = img/node-docker ]; then
    mkdir -p "$s/etc/docker"
    install -m 0755 "$(kc_path bin/cri-dockerd)/cri-dockerd" "$s/usr/bin/cri-dockerd"
    install -m 0755 "$(kc_path bin/runc-shim)/runc-shim" "$s/usr/local/bin/kconform-runc-shim"
    install -m 0644 "$KC_IMAGES_DIR/node/docker-daemon.json" "$s/etc/docker/daemon.json"
    sed "s#@SANDBOX_IMAGE@#$pause#" "$KC_IMAGES_DIR/node/cri-docker.service" >"$s/etc/systemd/system/cri-docker.service"
    ln -sfn /etc/systemd/system/cri-docker.service "$s/etc/systemd/system/multi-user.target.wants/cri-docker.service"
  fi
}

NODE_IMAGES=(img/kube-apiserver img/kube-controller-manager img/kube-scheduler img/kube-proxy img/etcd img/coredns img/pause img/agnhost img/flannel)

# build_node_image NAME: stage the top layer (binaries, config, preloaded
# images), keep it as a tarball in the cache, commit it onto the base.
build_node_image() {
  local n="$1" rootfs s tars=() i out
  rootfs=bin/node-rootfs
  [ "$n" = img/node-docker ] && rootfs=bin/node-docker-rootfs
  ensure_node_base "$rootfs"
  for i in "${NODE_IMAGES[@]}"; do tars+=("$(kc_path "$i")"); done
  mkdir -p "$KC_TMP"
  s="$KC_TMP/stage-${n#img/}"
  rm -rf "$s"
  mkdir -p "$s/var/lib"
  node_stage "$n" "$s"
  if [ "$n" = img/node-docker ]; then
    preload_docker "$(node_base_ref "$rootfs")" "$s/var/lib/docker" "${tars[@]}"
  else
    preload_containerd "$(node_base_ref "$rootfs")" "$s/var/lib/containerd" "${tars[@]}"
  fi
  out=$(kc_path "$n")
  mkdir -p "$(dirname "$out")"
  tar --numeric-owner -C "$s" -cf "$out.tmp" .
  mv "$out.tmp" "$out"
  rm -rf "$s"
  commit_node_image "$n"
}

# build_lean_node_image: the containerd node without preloaded images and
# without the CNI plugins kind's own node image lacks (bridge, flannel), so a
# cluster from it pulls every image and gets its plugins as kindest/node would.
# Test use only: it stands in for kindest/node in a registry built here.
build_lean_node_image() {
  local n=img/node-lean s out
  ensure_node_base bin/node-rootfs
  mkdir -p "$KC_TMP"
  s="$KC_TMP/stage-node-lean"
  rm -rf "$s"
  mkdir -p "$s"
  node_stage img/node "$s"
  rm -f "$s/opt/cni/bin/bridge" "$s/opt/cni/bin/flannel"
  out=$(kc_path "$n")
  mkdir -p "$(dirname "$out")"
  tar --numeric-owner -C "$s" -cf "$out.tmp" .
  mv "$out.tmp" "$out"
  rm -rf "$s"
  commit_node_image "$n"
}

commit_node_image() { # NAME
  local n="$1" rootfs cid ref old
  rootfs=bin/node-rootfs
  [ "$n" = img/node-docker ] && rootfs=bin/node-docker-rootfs
  ensure_node_base "$rootfs"
  ref=$(kc_ref "$n")
  old=$(docker image inspect -f '{{.Id}}' "$ref" 2>/dev/null || true)
  cid=$(docker create "$(node_base_ref "$rootfs")")
  docker cp -a - "$cid:/" <"$(kc_path "$n")"
  docker commit \
    --change 'ENV container=docker' \
    --change 'ENTRYPOINT ["/usr/local/bin/kconform-entrypoint"]' \
    --change "LABEL kconform.key=$(kc_key "$n") kconform.artefact=$n kconform.k8s-version=$K8S_VERSION" \
    "$cid" "$ref"
  docker rm "$cid" >/dev/null
  drop_old_image "$old" "$ref"
  docker image inspect -f '{{.Size}}' "$ref" | awk -v r="$ref" '{printf "%s: %.1f MB\n", r, $1/1e6}'
}
