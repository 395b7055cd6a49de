#!/usr/bin/env bash
# kconform offline image builder.
#
#   harness/images/build.sh [--k8s-version V] [--cri containerd|docker|all]
#                           [--cni flannel|kube-router|all]
#                           [--only NAME[,NAME...]] [--force] [--prune] [--list]
#
# Builds, from Go modules and Debian packages only (no registry), every
# binary and image a kind testbed needs, into $KCONFORM_CACHE (default
# ~/.cache/kconform), and loads the images into the local Docker:
#   bin/*  kind, kubeadm, kubelet, kubectl, kube-*, agnhost, etcd, coredns,
#          pause, flanneld, kube-router + gobgp, CNI plugins, cri-dockerd,
#          runc-shim, node rootfs
#   img/*  registry.k8s.io/kube-{apiserver,controller-manager,scheduler,proxy}:V,
#          etcd, coredns/coredns, pause (names as `kubeadm config images list`),
#          e2e-test-images/agnhost, ghcr.io/flannel-io/flannel,
#          docker.io/cloudnativelabs/kube-router (with --cni kube-router),
#          kconform/node:V (containerd) and kconform/node-docker:V (docker CRI);
#          only with --only: bin/registry, bin/crane, img/node-lean (test tools)
# Each artefact is keyed by the versions that go into it plus a hash of the
# code that builds it; a cached artefact is not rebuilt (unless --force).
#
#   --k8s-version V   Kubernetes version (default K8S_VERSION in versions.env)
#   --cri C           which node image: containerd (default), docker, or all
#   --cni C           also the images of this CNI: flannel (default; in the
#                     node images), kube-router (its own image, loaded into
#                     the nodes when a cluster is made), or all
#   --only NAMES      only these artefacts (and what they need); a NAME is an
#                     artefact (bin/kubeadm, img/node), a bare name matching
#                     bin/ and img/ (kube-proxy), or a group: k8s, images,
#                     node, node-docker, go
#   --force           rebuild the selected artefacts even if cached
#   --prune           afterwards, delete cached versions of the planned
#                     artefacts whose key is no longer current (same
#                     Kubernetes/component version only) and dangling images
#   --list            print the plan and exit
# Requires: harness/images/setup-host.sh has run (dockerd up, debootstrap).
set -euo pipefail
# The whole script is one compound command so that bash parses it before
# running: editing this file during a build cannot break the running build.
{
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=versions.env
source "$HERE/versions.env"

CRI=containerd
CNI=flannel
ONLY=""
FORCE=0
PRUNE=0
LIST=0
while [ $# -gt 0 ]; do
  case "$1" in
    --k8s-version) K8S_VERSION="$2"; shift 2 ;;
    --k8s-version=*) K8S_VERSION="${1#*=}"; shift ;;
    --cri) CRI="$2"; shift 2 ;;
    --cri=*) CRI="${1#*=}"; shift ;;
    --cni) CNI="${2%%:*}"; shift 2 ;;
    --cni=*) CNI="${1#*=}"; CNI="${CNI%%:*}"; shift ;;
    --only) ONLY="$ONLY,$2"; shift 2 ;;
    --only=*) ONLY="$ONLY,${1#*=}"; shift ;;
    --force) FORCE=1; shift ;;
    --prune) PRUNE=1; shift ;;
    --list) LIST=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$CRI" in containerd | docker | all) ;; *) echo "--cri must be containerd, docker or all" >&2; exit 2 ;; esac
# CNIs whose images cannot be built here (calico, weave, kindnet) need nothing more.
case "$CNI" in flannel | kube-router | all | calico | weave | kindnet | none) ;; *) echo "--cni must be flannel, kube-router or all" >&2; exit 2 ;; esac
[[ "$K8S_VERSION" =~ ^v1\.[0-9]+\.[0-9]+$ ]] || { echo "bad --k8s-version $K8S_VERSION (want v1.X.Y)" >&2; exit 2; }
export K8S_VERSION

# shellcheck source=artefacts.sh
source "$HERE/artefacts.sh"
# shellcheck source=images.sh
source "$HERE/images.sh"
kc_ver ETCD_TAG >/dev/null || exit 2

# ------------------------------------------------------------------ plan
declare -A WANT=() FORCED=()
ALL=$(kc_all_artefacts)
default_selected() {
  local a
  for a in $ALL; do
    case "$a" in
      img/node-docker | bin/node-docker-rootfs | bin/cri-dockerd) [ "$CRI" = containerd ] && continue ;;
      img/node | bin/node-rootfs) [ "$CRI" = docker ] && continue ;;
      bin/registry | bin/crane | img/node-lean) continue ;; # test tools: only with --only
      img/kube-router | bin/kube-router) [ "$CNI" = kube-router ] || [ "$CNI" = all ] || continue ;;
    esac
    echo "$a"
  done
}
select_name() { # NAME -> artefacts
  local n="$1" a found=0
  case "$n" in
    k8s) for a in "${K8S_BINS[@]}"; do echo "bin/$a"; done; return ;;
    images) default_selected | grep '^img/'; return ;;
    go) echo "$ALL" | grep '^bin/' | grep -v -e rootfs -e '^bin/registry$' -e '^bin/crane$'; return ;;
    node-lean) echo img/node-lean; return ;;
    node) echo img/node; return ;;
    node-docker) echo img/node-docker; return ;;
  esac
  for a in $ALL; do
    if [ "$a" = "$n" ] || [ "${a#*/}" = "$n" ]; then echo "$a"; found=1; fi
  done
  [ "$found" = 1 ] || { echo "unknown artefact '$n' (see --list)" >&2; return 1; }
}
if [ -z "$ONLY" ]; then
  SELECTED=$(default_selected)
else
  SELECTED=""
  for n in ${ONLY//,/ }; do SELECTED="$SELECTED $(select_name "$n")"; done
fi
add_with_deps() {
  local a="$1" d
  [ -n "${WANT[$a]:-}" ] && return
  for d in $(kc_deps "$a"); do add_with_deps "$d"; done
  WANT[$a]=1
}
for a in $SELECTED; do
  add_with_deps "$a"
  [ "$FORCE" = 1 ] && FORCED[$a]=1
done
PLAN=()
for a in src/k8s $ALL; do [ -n "${WANT[$a]:-}" ] && PLAN+=("$a"); done
KC_STEP_TOTAL=${#PLAN[@]}
# compute every key once, in this shell, inputs first (kc_key memoizes)
for a in "${PLAN[@]}"; do kc_key "$a" >/dev/null; done

if [ "$LIST" = 1 ]; then
  for a in "${PLAN[@]}"; do
    c=missing
    kc_is_cached "$a" && c=cached
    printf '%-28s %-8s %s\n' "$a" "$c" "$(kc_key "$a")"
  done
  exit 0
fi

needs_docker=0
for a in "${PLAN[@]}"; do case "$a" in img/* | bin/*rootfs) needs_docker=1 ;; esac; done
if [ "$needs_docker" = 1 ] && ! kc_have_docker; then
  echo "docker is not answering: run harness/images/setup-host.sh first" >&2
  exit 1
fi
# Programs the artefacts still to build need: each missing one named with its install step.
need_go=0 need_debootstrap=0 need_apt=0
for a in "${PLAN[@]}"; do
  [ "$FORCE" = 0 ] && kc_is_cached "$a" && continue
  case "$a" in
    bin/*rootfs) need_debootstrap=1 ;;
    bin/* | src/*) need_go=1 ;;
    img/*) need_apt=1 ;;
  esac
done
[ "$need_go" = 0 ] || kc_need go "install Go 1.26 or newer (https://go.dev/dl): kind, Kubernetes and the CNI are compiled from Go modules"
[ "$need_debootstrap" = 0 ] || kc_need debootstrap "apt-get install -y debootstrap (or, as root: npx kconform setup)"
[ "$need_apt" = 0 ] || kc_need apt-get "images are made from Debian packages: run the builder on Debian or Ubuntu, or bring images with npx kconform images import"

TIMINGS="$KC_LOGS/timings.tsv"
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$K8S_VERSION" "$1" "$2" "$3" >>"$TIMINGS"; }

T_START=$(date +%s)
echo "kconform image build: Kubernetes $K8S_VERSION, CRI $CRI, cache $KC_CACHE"

# ------------------------------------------------------------------ run
build_dir_artefact() { # name fn
  local out
  out=$(kc_path "$1")
  rm -rf "$out" "$out.tmp"
  mkdir -p "$out.tmp"
  kc_run "$2" "$out.tmp"
  touch "$out.tmp/.ok"
  mv "$out.tmp" "$out"
}

IMAGE_LIST_CHECKED=0
check_image_list() {
  [ "$IMAGE_LIST_CHECKED" = 1 ] && return
  local kubeadm listed want absent=""
  kubeadm=$(kc_path bin/kubeadm)
  listed=$("$kubeadm" config images list --kubernetes-version "$K8S_VERSION" 2>>"$KC_STEP_LOG") ||
    kc_fail "$kubeadm config images list --kubernetes-version $K8S_VERSION"
  for want in "${K8S_IMAGES[@]}"; do
    grep -qx "$(kc_ref "img/$want")" <<<"$listed" || absent="$absent $(kc_ref "img/$want")"
  done
  if [ -n "$absent" ]; then
    echo "kubeadm $K8S_VERSION lists:" >&2
    echo "$listed" | sed 's/^/   /' >&2
    kc_fail "versions.env disagrees with kubeadm: not listed:$absent (fix K8S_${K8S_VERSION//./_}_* in versions.env)"
  fi
  IMAGE_LIST_CHECKED=1
}

for a in "${PLAN[@]}"; do
  kc_step "$a"
  if [ -n "${FORCED[$a]:-}" ]; then
    p=$(kc_path "$a")
    rm -rf "$p"
  fi
  if kc_is_cached "$a"; then
    case "$a" in
      img/*)
        if kc_is_loaded "$a"; then
          kc_say "$a $(kc_ref "$a") (cached, loaded)"
        else
          kc_say "$a $(kc_ref "$a") (cached, loading into docker)"
          load_image "$a"
          kc_info "loaded in $(kc_elapsed)"
        fi
        ;;
      *) kc_say "$a (cached)" ;;
    esac
    continue
  fi
  case "$a" in
    src/k8s)
      kc_say "$a: wrapper module for k8s.io/kubernetes $K8S_VERSION (go mod tidy)"
      p=$(kc_path "$a")
      rm -rf "$p" "$p.tmp"
      kc_run gen_k8s_module "$p.tmp"
      touch "$p.tmp/.ok"
      mv "$p.tmp" "$p"
      ;;
    bin/kube-router) kc_say "$a: go install kube-router $KUBE_ROUTER_VERSION + gobgp $GOBGP_VERSION"; build_dir_artefact "$a" build_kube_router ;;
    bin/kube* | bin/agnhost)
      kc_say "$a: go build ${a#bin/} $K8S_VERSION"
      p=$(kc_path "$a")
      mkdir -p "$(dirname "$p")"
      kc_run build_k8s_bin "$(kc_path src/k8s)" "${a#bin/}" "$p"
      ;;
    bin/runc-shim) kc_say "$a: go build (own source)"; build_dir_artefact "$a" build_runc_shim ;;
    bin/kind) kc_say "$a: go install sigs.k8s.io/kind@$KIND_VERSION"; build_dir_artefact "$a" build_kind ;;
    bin/etcd) kc_say "$a: go build etcd $(kc_ver ETCD_MODULE)"; build_dir_artefact "$a" build_etcd ;;
    bin/coredns) kc_say "$a: go install coredns $(kc_ver COREDNS_MODULE)"; build_dir_artefact "$a" build_coredns ;;
    bin/pause) kc_say "$a: gcc -static (own source)"; build_dir_artefact "$a" build_pause ;;
    bin/flanneld) kc_say "$a: go build flanneld $FLANNEL_VERSION (CGO)"; build_dir_artefact "$a" build_flanneld ;;
    bin/cni-plugins) kc_say "$a: go install CNI plugins $CNI_PLUGINS_VERSION + flannel plugin $FLANNEL_CNI_PLUGIN_MODULE"; build_dir_artefact "$a" build_cni_plugins ;;
    bin/cri-dockerd) kc_say "$a: go build cri-dockerd $CRI_DOCKERD_VERSION"; build_dir_artefact "$a" build_cri_dockerd ;;
    bin/registry) kc_say "$a: go install distribution registry $REGISTRY_VERSION"; build_dir_artefact "$a" build_registry ;;
    bin/crane) kc_say "$a: go install crane $CRANE_VERSION"; build_dir_artefact "$a" build_crane ;;
    bin/node-rootfs | bin/node-docker-rootfs)
      kc_say "$a: debootstrap $DEBIAN_SUITE"
      kc_run build_rootfs "$a" "$(kc_path "$a")"
      ;;
    img/node-lean)
      kc_say "$a $(kc_ref "$a"): assembling the lean node image (no preloaded images; test stand-in for kindest/node)"
      kc_run build_lean_node_image
      ;;
    img/node | img/node-docker)
      kc_say "$a $(kc_ref "$a"): assembling node image"
      check_image_list
      kc_run build_node_image "$a"
      ;;
    img/*)
      kc_say "$a $(kc_ref "$a"): building image"
      # kubeadm's list names only its own images (a CNI image such as kube-router
      # does not need kubeadm built first)
      case " ${K8S_IMAGES[*]} " in *" ${a#img/} "*) check_image_list ;; esac
      kc_run build_image "$a"
      ;;
  esac
  kc_info "done in $(kc_elapsed)"
  record "$a" "$(kc_key "$a")" "$(($(date +%s) - KC_STEP_T0))"
done

# ------------------------------------------------------------------ stable paths
if [ -n "${WANT[bin/kind]:-}" ]; then
  ln -sfn "$(kc_path bin/kind)/kind" "$KC_CACHE/bin/kind"
fi
mkdir -p "$KC_CACHE/bin/$K8S_VERSION"
for b in "${K8S_BINS[@]}"; do
  [ -f "$(kc_path "bin/$b")" ] && ln -sfn "$(kc_path "bin/$b")" "$KC_CACHE/bin/$K8S_VERSION/$b"
done
[ -f "$(kc_path bin/etcd)/.ok" ] && ln -sfn "$(kc_path bin/etcd)/etcdctl" "$KC_CACHE/bin/$K8S_VERSION/etcdctl"

# ------------------------------------------------------------------ prune
if [ "$PRUNE" = 1 ]; then
  declare -A KEEP=()
  for a in "${PLAN[@]}"; do
    p=$(kc_path "$a")
    case "$a" in bin/kube-router) ;; bin/kube* | bin/agnhost) p=$(dirname "$p") ;; esac
    KEEP[$p]=1
  done
  for p in "${!KEEP[@]}"; do
    for q in "$(dirname "$p")"/*; do
      [ -e "$q" ] || continue
      [ -n "${KEEP[$q]:-}" ] && continue
      case "$q" in *.tmp) continue ;; esac
      echo "  prune $q ($(du -sh "$q" | cut -f1))"
      rm -rf "$q"
    done
  done
  docker image prune -f --filter label=kconform.artefact >/dev/null 2>&1 || true
fi

echo
echo "kconform image build: done in $(($(date +%s) - T_START))s"
for a in "${PLAN[@]}"; do
  case "$a" in
    img/*)
      if kc_is_loaded "$a"; then
        printf '  %-26s %-60s %s\n' "$a" "$(kc_ref "$a")" "$(docker image inspect -f '{{.Size}}' "$(kc_ref "$a")" | awk '{printf "%.0f MB", $1/1e6}')"
      fi
      ;;
  esac
done
[ -L "$KC_CACHE/bin/kind" ] && echo "  kind: $KC_CACHE/bin/kind"
echo "  binaries: $KC_CACHE/bin/$K8S_VERSION/"
exit 0
}
