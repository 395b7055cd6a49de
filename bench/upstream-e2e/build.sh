#!/usr/bin/env bash
# Build the upstream Kubernetes e2e binary (e2e.test, `go test -c` of
# k8s.io/kubernetes/test/e2e) for the bench that runs upstream specs side by
# side with kconform checks. Not part of the product: a yardstick only.
#
# Usage: bench/upstream-e2e/build.sh [K8S_VERSION]   (default: versions.env)
# Prints the path of e2e.test on its last line. Cached under
#   $KC_CACHE/src/e2e-<version>/<key>/   wrapper module
#   $KC_CACHE/out/e2e-<version>/<key>/e2e.test (+ .ok)
#   $KC_CACHE/logs/e2e-<version>.log     full build output
# where <key> hashes the Go version, the Kubernetes version and this script.
# The build runs at the lowest CPU and I/O priority: the machine is shared.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
KC_CACHE="${KCONFORM_CACHE:-$HOME/.cache/kconform}"

command -v go >/dev/null || { echo "go not found: install Go (https://go.dev/dl) first" >&2; exit 2; }

version="${1:-}"
if [ -z "$version" ]; then
  version=$(sed -n 's/^K8S_VERSION=//p' "$repo/harness/images/versions.env")
fi
case "$version" in
  v1.[0-9]*.[0-9]*) ;;
  *) echo "not a Kubernetes version: '$version' (expected e.g. v1.37.2)" >&2; exit 2 ;;
esac

gover=$(go env GOVERSION)
key=$(printf '%s\n' "$gover" "$version" "$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-64)" | sha256sum | cut -c1-12)
src="$KC_CACHE/src/e2e-$version/$key"
out="$KC_CACHE/out/e2e-$version/$key"
log="$KC_CACHE/logs/e2e-$version.log"
mkdir -p "$KC_CACHE/logs"

if [ -f "$out/.ok" ] && [ -x "$out/e2e.test" ]; then
  echo "cached: $out/e2e.test"
  echo "$out/e2e.test"
  exit 0
fi

# Same caches and flags as the image builder (harness/images/artefacts.sh), so
# the Kubernetes packages it already compiled are reused.
export GOCACHE="$KC_CACHE/gocache" GOMODCACHE="$KC_CACHE/gomodcache"
export GOTOOLCHAIN=local GOFLAGS="-mod=mod -buildvcs=false -trimpath" CGO_ENABLED=0

# Lowest CPU priority, and idle I/O class where ionice exists.
low=(nice -n 19)
if command -v ionice >/dev/null && ionice -c 3 true 2>/dev/null; then low+=(ionice -c 3); fi

build() {
  set -euo pipefail
  rm -rf "$src"
  mkdir -p "$src" "$out"
  cd "$src"
  local gomod staged goline minor m p
  gomod=$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
  [ -f "$gomod" ] || { echo "the Go module proxy gave no go.mod for k8s.io/kubernetes@$version"; return 1; }
  # k8s.io/kubernetes points its staging modules at ./staging/...; a
  # dependent module must name their published v0.<minor>.<patch> instead.
  staged=$(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod")
  goline=$(grep -m1 '^go ' "$gomod")
  minor="v0.${version#v1.}"
  {
    printf 'module kconform.local/upstream-e2e\n\n%s\n' "$goline"
    grep '^godebug ' "$gomod" || true
    printf '\nrequire k8s.io/kubernetes %s\n\nreplace (\n' "$version"
    for m in $staged; do printf '\t%s => %s %s\n' "$m" "$m" "$minor"; done
    printf ')\n'
  } >go.mod
  echo "staging modules replaced: $(echo "$staged" | wc -w)"
  # First pass: the e2e package itself; then its test file's imports (the
  # spec packages: network, apps, ...) so `go mod tidy` keeps their modules.
  printf '//go:build tools\n\npackage tools\n\nimport _ "k8s.io/kubernetes/test/e2e"\n' >tools.go
  go mod tidy
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for p in $(go list -f '{{join .TestImports "\n"}}' k8s.io/kubernetes/test/e2e | grep '\.'); do
      printf '\t_ "%s"\n' "$p"
    done
    printf ')\n'
  } >tools.go
  go mod tidy
  local X=() vp
  for vp in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    X+=(-X "$vp.gitVersion=$version" -X "$vp.gitMajor=1" -X "$vp.gitMinor=$(echo "$version" | cut -d. -f2)")
  done
  # -vet=off: vetting upstream's code is not our job, and vet's facts pass over
  # every dependency (measured: after a 25 min build, vet was still running).
  go test -c -vet=off -ldflags "-s -w ${X[*]}" -o "$out/e2e.test.tmp" k8s.io/kubernetes/test/e2e
  mv "$out/e2e.test.tmp" "$out/e2e.test"
  "$out/e2e.test" --version
  touch "$out/.ok"
}

echo "building e2e.test $version (log: $log)"
t0=$(date +%s)
if ! ("${low[@]}" bash -c "$(declare -f build); $(declare -p src out version); build") >"$log" 2>&1 </dev/null; then
  echo "e2e.test build failed after $(($(date +%s) - t0)) s; last 30 lines of $log:" >&2
  tail -n 30 "$log" | sed 's/^/  | /' >&2
  exit 1
fi
echo "built in $(($(date +%s) - t0)) s" | tee -a "$log"
echo "$out/e2e.test"
