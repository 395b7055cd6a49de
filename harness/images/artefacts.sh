# shellcheck shell=bash
# kconform offline testbed: what each artefact is, its cache key, where it
# lives, and the function that builds it. Sourced by build.sh and status.sh
# after lib.sh; expects K8S_VERSION (and versions.env) to be set.
#
# Cache layout ($KC_CACHE, default ~/.cache/kconform):
#   gocache/ gomodcache/        Go build and module caches
#   src/<name>/<key>/           generated wrapper modules
#   out/<name>/<key>/           built binaries (a .ok file marks completion)
#   images/<name>/<tag>/<key>.tar  `docker save` of each image (docker load-able)
#   images/node-<k8s>/<key>.layer.tar  node images' top layer (see images.sh)
#   rootfs/<name>/<key>.tar     debootstrapped node root filesystems
#   debs/                       .deb files for the lean images
#   bin/kind, bin/<k8s version>/{kubectl,kubeadm,...}  stable paths
#   logs/<step>.log             one log per build step

KC_GO_VERSION="$(go env GOVERSION 2>/dev/null || echo nogo)"

kc_go_env() {
  export GOCACHE="$KC_CACHE/gocache" GOMODCACHE="$KC_CACHE/gomodcache"
  export GOTOOLCHAIN=local GOFLAGS="-mod=mod -buildvcs=false -trimpath"
  export CGO_ENABLED=0
}

# The Debian mirror debootstrap uses: versions.env may name one; otherwise the
# host's own apt configuration says where Debian packages come from.
kc_host_debian_mirror() {
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v -- '-security' | head -n1)
  [ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v -- '-security' | head -n1)
  printf '%s' "$uri"
}
if [ -z "${DEBIAN_MIRROR:-}" ]; then
  DEBIAN_MIRROR=$(kc_host_debian_mirror)
  [ -n "$DEBIAN_MIRROR" ] || { echo "no Debian apt source found on this host: set DEBIAN_MIRROR in harness/images/versions.env" >&2; exit 2; }
fi

# kc_ver KEY: per-Kubernetes-version value from versions.env (K8S_V1_37_2_KEY).
kc_ver() {
  local var
  var="K8S_$(echo "$K8S_VERSION" | tr 'a-z.' 'A-Z_')_$1"
  if [ -z "${!var:-}" ]; then
    echo "versions.env has no $var (Kubernetes $K8S_VERSION is not pinned)" >&2
    return 1
  fi
  echo "${!var}"
}

k8s_minor() { local v="${K8S_VERSION#v}"; v="${v#*.}"; echo "${v%%.*}"; }

# ------------------------------------------------------------------ catalogue
K8S_BINS=(kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy agnhost)
K8S_IMAGES=(kube-apiserver kube-controller-manager kube-scheduler kube-proxy etcd coredns pause)

# Every artefact, in build order. bin/* are files in the cache, img/* are
# Docker images (with a docker-save tarball in the cache).
kc_all_artefacts() {
  echo bin/runc-shim bin/kind
  local b
  for b in "${K8S_BINS[@]}"; do echo "bin/$b"; done
  echo bin/etcd bin/coredns bin/pause bin/flanneld bin/kube-router bin/cni-plugins bin/cri-dockerd
  echo bin/node-rootfs bin/node-docker-rootfs
  echo img/kube-apiserver img/kube-controller-manager img/kube-scheduler img/kube-proxy
  echo img/etcd img/coredns img/pause img/agnhost img/flannel img/kube-router
  echo img/node img/node-docker
  echo bin/registry bin/crane img/node-lean
}

# Direct prerequisites of an artefact.
kc_deps() {
  case "$1" in
    bin/kube-router) ;; # not a Kubernetes binary (the globs below would take it)
    bin/kube* | bin/agnhost) echo src/k8s ;;
    img/kube-proxy) echo bin/kube-proxy ;;
    img/kube-router) echo bin/kube-router ;;
    img/kube-*) echo "bin/${1#img/}" ;;
    img/etcd) echo bin/etcd ;;
    img/coredns) echo bin/coredns ;;
    img/pause) echo bin/pause ;;
    img/agnhost) echo bin/agnhost ;;
    img/flannel) echo bin/flanneld ;;
    img/node)
      echo bin/node-rootfs bin/kubeadm bin/kubelet bin/kubectl bin/cni-plugins
      echo img/kube-apiserver img/kube-controller-manager img/kube-scheduler img/kube-proxy
      echo img/etcd img/coredns img/pause img/agnhost img/flannel
      ;;
    # A stand-in for kind's own node image in the registry tests: no image preloaded,
    # only the CNI plugins kindest/node has (no bridge, no flannel).
    img/node-lean) echo bin/node-rootfs bin/kubeadm bin/kubelet bin/kubectl bin/cni-plugins img/pause ;;
    img/node-docker)
      echo bin/node-docker-rootfs bin/kubeadm bin/kubelet bin/kubectl bin/cni-plugins bin/cri-dockerd bin/runc-shim
      echo img/kube-apiserver img/kube-controller-manager img/kube-scheduler img/kube-proxy
      echo img/etcd img/coredns img/pause img/agnhost img/flannel
      ;;
  esac
}

# Image reference (name:tag) of an img/* artefact.
kc_ref() {
  local reg="${K8S_REGISTRY:-registry.k8s.io}"
  case "$1" in
    img/kube-router) echo "$KUBE_ROUTER_IMAGE_REPO:$KUBE_ROUTER_VERSION" ;;
    img/kube-*) echo "$reg/${1#img/}:$K8S_VERSION" ;;
    img/etcd) echo "$reg/etcd:$(kc_ver ETCD_TAG)" ;;
    img/coredns) echo "$reg/coredns/coredns:$(kc_ver COREDNS_TAG)" ;;
    img/pause) echo "$reg/pause:$(kc_ver PAUSE_TAG)" ;;
    img/agnhost) echo "$reg/e2e-test-images/agnhost:$(kc_ver AGNHOST_TAG)" ;;
    img/flannel) echo "$FLANNEL_IMAGE_REPO:$FLANNEL_VERSION" ;;
    img/node) echo "$NODE_IMAGE_REPO:$K8S_VERSION" ;;
    img/node-docker) echo "$NODE_DOCKER_IMAGE_REPO:$K8S_VERSION" ;;
    img/node-lean) echo "$NODE_IMAGE_REPO-lean:$K8S_VERSION" ;;
    *) return 1 ;;
  esac
}

# ------------------------------------------------------------------ keys
declare -A KC_KEYS=()

# kc_key NAME: cache key = hash of every version that goes into NAME, the
# source of the functions/files that build it and the keys of its inputs.
kc_key() {
  local n="$1" k
  if [ -n "${KC_KEYS[$n]:-}" ]; then
    echo "${KC_KEYS[$n]}"
    return
  fi
  case "$n" in
    bin/runc-shim)
      k=$(kc_hash "$KC_GO_VERSION" "$(kc_fn_src build_runc_shim)" "$(kc_hash_files "$KC_IMAGES_DIR"/runc-shim/*.go "$KC_IMAGES_DIR/runc-shim/go.mod")") ;;
    bin/kind) k=$(kc_hash "$KC_GO_VERSION" "$KIND_VERSION" "$(kc_fn_src build_kind)") ;;
    src/k8s) k=$(kc_hash "$KC_GO_VERSION" "$K8S_VERSION" "$(kc_fn_src gen_k8s_module)") ;;
    bin/kube-router) k=$(kc_hash "$KC_GO_VERSION" "$KUBE_ROUTER_VERSION" "$GOBGP_VERSION" "$(kc_fn_src build_kube_router)") ;;
    bin/kube* | bin/agnhost) k=$(kc_hash "$(kc_key src/k8s)" "$(kc_fn_src build_k8s_bin)") ;;
    bin/etcd) k=$(kc_hash "$KC_GO_VERSION" "$(kc_ver ETCD_MODULE)" "$(kc_fn_src build_etcd)" "$(kc_hash_files "$KC_IMAGES_DIR/etcd/main.go")") ;;
    bin/coredns) k=$(kc_hash "$KC_GO_VERSION" "$(kc_ver COREDNS_MODULE)" "$(kc_fn_src build_coredns)") ;;
    bin/pause) k=$(kc_hash "$(gcc --version 2>/dev/null | head -1)" "$(kc_fn_src build_pause)" "$(kc_hash_files "$KC_IMAGES_DIR/pause/pause.c")") ;;
    bin/flanneld) k=$(kc_hash "$KC_GO_VERSION" "$FLANNEL_VERSION" "$FLANNEL_TENCENT_COMMON" "$(kc_fn_src build_flanneld)") ;;
    bin/cni-plugins) k=$(kc_hash "$KC_GO_VERSION" "$CNI_PLUGINS_VERSION" "$CNI_PLUGINS" "$FLANNEL_CNI_PLUGIN_MODULE" "$(kc_fn_src build_cni_plugins)") ;;
    bin/cri-dockerd) k=$(kc_hash "$KC_GO_VERSION" "$CRI_DOCKERD_VERSION" "$(kc_fn_src build_cri_dockerd)") ;;
    bin/registry) k=$(kc_hash "$KC_GO_VERSION" "$REGISTRY_VERSION" "$(kc_fn_src build_registry)") ;;
    bin/crane) k=$(kc_hash "$KC_GO_VERSION" "$CRANE_VERSION" "$(kc_fn_src build_crane)") ;;
    bin/node-rootfs) k=$(kc_hash "$DEBIAN_SUITE" "$DEBIAN_MIRROR" "${NODE_PACKAGES[*]}" "$(kc_fn_src build_rootfs)") ;;
    bin/node-docker-rootfs) k=$(kc_hash "$DEBIAN_SUITE" "$DEBIAN_MIRROR" "${NODE_PACKAGES[*]} ${NODE_DOCKER_PACKAGES[*]}" "$(kc_fn_src build_rootfs)") ;;
    img/node | img/node-docker)
      local d deps=()
      for d in $(kc_deps "$n"); do deps+=("$d=$(kc_key "$d")"); done
      k=$(kc_hash "$n" "$(kc_ref "$n")" "${deps[*]}" "$(kc_fn_src build_node_image preload_containerd preload_docker node_stage commit_node_image ensure_node_base)" "$(kc_hash_files "$KC_IMAGES_DIR"/node/*)") ;;
    img/node-lean)
      local d deps=()
      for d in $(kc_deps "$n"); do deps+=("$d=$(kc_key "$d")"); done
      k=$(kc_hash "$n" "$(kc_ref "$n")" "${deps[*]}" "$(kc_fn_src build_lean_node_image node_stage commit_node_image ensure_node_base)" "$(kc_hash_files "$KC_IMAGES_DIR"/node/*)") ;;
    img/*)
      local d deps=()
      for d in $(kc_deps "$n"); do deps+=("$d=$(kc_key "$d")"); done
      k=$(kc_hash "$n" "$(kc_ref "$n")" "${deps[*]}" "$(kc_fn_src build_image image_rootfs deb_root base_files)" "$(image_packages "$n")") ;;
    *) echo "unknown artefact $n" >&2; return 1 ;;
  esac
  KC_KEYS[$n]="$k"
  echo "$k"
}

# Where a built artefact lives.
kc_path() {
  local n="$1" k
  k=$(kc_key "$n")
  case "$n" in
    src/k8s) echo "$KC_CACHE/src/k8s-$K8S_VERSION/$k" ;;
    bin/kube-router) echo "$KC_CACHE/out/kube-router/$k" ;;
    bin/kube* | bin/agnhost) echo "$KC_CACHE/out/k8s-$K8S_VERSION/$k/${n#bin/}" ;;
    bin/etcd | bin/coredns) echo "$KC_CACHE/out/${n#bin/}-$(kc_ver "$(echo "${n#bin/}" | tr a-z A-Z)_MODULE")/$k" ;;
    bin/node-rootfs | bin/node-docker-rootfs) echo "$KC_CACHE/rootfs/${n#bin/}/$k.tar" ;;
    bin/*) echo "$KC_CACHE/out/${n#bin/}/$k" ;;
    img/node | img/node-docker | img/node-lean) echo "$KC_CACHE/images/${n#img/}-$K8S_VERSION/$k.layer.tar" ;;
    img/*) local ref; ref=$(kc_ref "$n"); echo "$KC_CACHE/images/${n#img/}/${ref##*:}/$k.tar" ;;
  esac
}

kc_is_cached() {
  local p
  p=$(kc_path "$1")
  case "$1" in
    src/* | bin/kind | bin/runc-shim | bin/etcd | bin/coredns | bin/pause | bin/flanneld | bin/kube-router | bin/cni-plugins | bin/cri-dockerd | bin/registry | bin/crane) [ -f "$p/.ok" ] ;;
    *) [ -f "$p" ] ;;
  esac
}

kc_is_loaded() {
  local ref label
  ref=$(kc_ref "$1") || return 1
  label=$(docker image inspect -f '{{index .Config.Labels "kconform.key"}}' "$ref" 2>/dev/null) || return 1
  [ "$label" = "$(kc_key "$1")" ]
}

# ------------------------------------------------------------------ Go builds
build_runc_shim() { # out
  kc_go_env
  cd "$KC_IMAGES_DIR/runc-shim"
  go build -ldflags "-s -w -X main.realRunc=/usr/sbin/runc" -o "$1/runc-shim" .
}

# Test tools (opt-in): a registry standing in for the internet, and crane to fill it.
build_registry() { # out
  kc_go_env
  CGO_ENABLED=0 GOFLAGS="-buildvcs=false -trimpath" GOBIN="$1" go install -ldflags "-s -w" "github.com/distribution/distribution/v3/cmd/registry@$REGISTRY_VERSION"
}

build_crane() { # out
  kc_go_env
  CGO_ENABLED=0 GOFLAGS="-buildvcs=false -trimpath" GOBIN="$1" go install -ldflags "-s -w" "github.com/google/go-containerregistry/cmd/crane@$CRANE_VERSION"
  "$1/crane" version
}

build_kind() { # out
  kc_go_env
  GOFLAGS="-buildvcs=false -trimpath" GOBIN="$1" go install -ldflags "-s -w" "sigs.k8s.io/kind@$KIND_VERSION"
  "$1/kind" version
}

# Wrapper module that requires k8s.io/kubernetes and replaces each staging
# module (the `=> ./staging/...` lines of its go.mod) with the v0.X release.
gen_k8s_module() { # dir
  kc_go_env
  local dir="$1" gomod staged goline minor
  mkdir -p "$dir"
  cd "$dir"
  gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
  [ -f "$gomod" ] || { echo "no go.mod for k8s.io/kubernetes@$K8S_VERSION"; return 1; }
  staged=$(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod")
  goline=$(grep -m1 '^go ' "$gomod")
  minor="v0.${K8S_VERSION#v1.}"
  {
    echo "module kconform.local/k8s-build"
    echo
    echo "$goline"
    grep '^godebug ' "$gomod" || true
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    local m
    for m in $staged; do echo "	$m => $m $minor"; done
    echo ")"
  } >go.mod
  {
    echo "//go:build tools"
    echo
    echo "package tools"
    echo
    echo "import ("
    echo '	_ "k8s.io/kubernetes/cmd/kubeadm"'
    echo '	_ "k8s.io/kubernetes/cmd/kubelet"'
    echo '	_ "k8s.io/kubernetes/cmd/kubectl"'
    echo '	_ "k8s.io/kubernetes/cmd/kube-apiserver"'
    echo '	_ "k8s.io/kubernetes/cmd/kube-controller-manager"'
    echo '	_ "k8s.io/kubernetes/cmd/kube-scheduler"'
    echo '	_ "k8s.io/kubernetes/cmd/kube-proxy"'
    echo '	_ "k8s.io/kubernetes/test/images/agnhost"'
    echo ")"
  } >tools.go
  echo "staging modules replaced: $(echo "$staged" | wc -w)"
  go mod tidy
}

build_k8s_bin() { # moddir name outfile
  kc_go_env
  local pkg minor
  cd "$1"
  case "$2" in
    agnhost) pkg=k8s.io/kubernetes/test/images/agnhost ;;
    *) pkg="k8s.io/kubernetes/cmd/$2" ;;
  esac
  minor=$(k8s_minor)
  local X=()
  local p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    X+=(-X "$p.gitVersion=$K8S_VERSION" -X "$p.gitMajor=1" -X "$p.gitMinor=$minor"
      -X "$p.gitCommit=0000000000000000000000000000000000000000" -X "$p.gitTreeState=clean"
      -X "$p.buildDate=2000-01-01T00:00:00Z")
  done
  go build -ldflags "-s -w ${X[*]}" -o "$3.tmp" "$pkg"
  mv "$3.tmp" "$3"
}

build_etcd() { # out
  kc_go_env
  local ver src
  ver=$(kc_ver ETCD_MODULE)
  src="$KC_CACHE/src/etcd-$ver"
  rm -rf "$src"
  mkdir -p "$src"
  cd "$src"
  cp "$KC_IMAGES_DIR/etcd/main.go" main.go
  printf 'module kconform.local/etcd\n\ngo 1.24\n\nrequire (\n\tgo.etcd.io/etcd/server/v3 %s\n\tgo.etcd.io/etcd/etcdctl/v3 %s\n)\n' "$ver" "$ver" >go.mod
  printf '//go:build tools\n\npackage main\n\nimport _ "go.etcd.io/etcd/etcdctl/v3"\n' >tools.go
  go mod tidy
  go build -ldflags "-s -w" -o "$1/etcd" .
  go build -ldflags "-s -w" -o "$1/etcdctl" go.etcd.io/etcd/etcdctl/v3
  "$1/etcd" --version
}

build_coredns() { # out
  kc_go_env
  GOFLAGS="-buildvcs=false -trimpath" GOBIN="$1" go install -ldflags "-s -w" "github.com/coredns/coredns@$(kc_ver COREDNS_MODULE)"
  "$1/coredns" -version
}

build_pause() { # out
  gcc -static -Os -s -Wall -o "$1/pause" "$KC_IMAGES_DIR/pause/pause.c"
  "$1/pause" --version
}

build_flanneld() { # out
  kc_go_env
  local src="$KC_CACHE/src/flannel-$FLANNEL_VERSION" gomod goline
  rm -rf "$src"
  mkdir -p "$src"
  cd "$src"
  gomod=$(go mod download -json "github.com/flannel-io/flannel@$FLANNEL_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
  goline=$(grep -m1 '^go ' "$gomod")
  {
    printf 'module kconform.local/flannel\n\n%s\n\nrequire github.com/flannel-io/flannel %s\n\n' "$goline" "$FLANNEL_VERSION"
    printf 'replace github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common => github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common %s\n' "$FLANNEL_TENCENT_COMMON"
  } >go.mod
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/flannel-io/flannel"\n' >tools.go
  go mod tidy
  CGO_ENABLED=1 go build -ldflags "-s -w -X github.com/flannel-io/flannel/pkg/version.Version=$FLANNEL_VERSION" \
    -o "$1/flanneld" github.com/flannel-io/flannel
  "$1/flanneld" --version
}

# kube-router and the gobgp CLI (to read its BGP sessions: `gobgp neighbor`).
build_kube_router() { # out
  kc_go_env
  export GOFLAGS="-buildvcs=false -trimpath"
  GOBIN="$1" go install -ldflags "-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=$KUBE_ROUTER_VERSION -X github.com/cloudnativelabs/kube-router/v2/pkg/version.BuildDate=2000-01-01T00:00:00Z" \
    "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router@$KUBE_ROUTER_VERSION"
  GOBIN="$1" go install -ldflags "-s -w" "github.com/osrg/gobgp/v3/cmd/gobgp@$GOBGP_VERSION"
  "$1/kube-router" --version
  "$1/gobgp" --version
}

build_cni_plugins() { # out
  kc_go_env
  export GOFLAGS="-buildvcs=false -trimpath"
  local p pkgs=()
  for p in ${CNI_PLUGINS//,/ }; do
    case "$p" in
      host-local | static | dhcp) pkgs+=("github.com/containernetworking/plugins/plugins/ipam/$p@$CNI_PLUGINS_VERSION") ;;
      portmap | bandwidth | firewall | tuning | sbr | vrf) pkgs+=("github.com/containernetworking/plugins/plugins/meta/$p@$CNI_PLUGINS_VERSION") ;;
      *) pkgs+=("github.com/containernetworking/plugins/plugins/main/$p@$CNI_PLUGINS_VERSION") ;;
    esac
  done
  GOBIN="$1" go install -ldflags "-s -w" "${pkgs[@]}"
  GOBIN="$1" go install -ldflags "-s -w" "github.com/containernetworking/plugins/plugins/meta/flannel@$FLANNEL_CNI_PLUGIN_MODULE"
  ls -la "$1"
}

build_cri_dockerd() { # out
  kc_go_env
  export GOSUMDB=off
  local src="$KC_CACHE/src/cri-dockerd-$CRI_DOCKERD_VERSION" gomod goline
  rm -rf "$src"
  mkdir -p "$src"
  cd "$src"
  gomod=$(go mod download -json "github.com/Mirantis/cri-dockerd@$CRI_DOCKERD_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
  goline=$(grep -m1 '^go ' "$gomod")
  {
    printf 'module kconform.local/cri-dockerd\n\n%s\n\nrequire github.com/Mirantis/cri-dockerd %s\n\n' "$goline" "$CRI_DOCKERD_VERSION"
    # the upstream module's own replace directives (ignored in a dependency)
    sed -n '/^replace (/,/^)/p' "$gomod"
    grep '^replace [^(]' "$gomod" || true
  } >go.mod
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/Mirantis/cri-dockerd"\n' >tools.go
  go mod tidy
  go build -ldflags "-s -w -X github.com/Mirantis/cri-dockerd/cmd/version.Version=${CRI_DOCKERD_VERSION#v}" \
    -o "$1/cri-dockerd" github.com/Mirantis/cri-dockerd
  "$1/cri-dockerd" --version
}
