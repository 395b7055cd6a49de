#!/usr/bin/env bash
# kconform offline testbed: what is built and what is loaded.
#
#   harness/images/status.sh [--k8s-version V] [--json]
#
# For every artefact build.sh makes for Kubernetes V: built (in the cache
# under its current key), loaded (the image is in the local Docker with that
# key), or missing. --json prints an array of
#   {"name", "kind": "binary"|"image", "ref", "cached": bool, "loaded": bool}
# (for binaries ref is the cache path and loaded equals cached).
# Exit code 0 whether or not things are missing; 2 on bad arguments.
set -euo pipefail
{
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=versions.env
source "$HERE/versions.env"
JSON=0
while [ $# -gt 0 ]; do
  case "$1" in
    --k8s-version) K8S_VERSION="$2"; shift 2 ;;
    --k8s-version=*) K8S_VERSION="${1#*=}"; shift ;;
    --json) JSON=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
export K8S_VERSION
# shellcheck source=artefacts.sh
source "$HERE/artefacts.sh"
# shellcheck source=images.sh
source "$HERE/images.sh"
kc_ver ETCD_TAG >/dev/null || exit 2
DOCKER_OK=0
kc_have_docker && DOCKER_OK=1

json_str() { local s="${1//\\/\\\\}"; s="${s//\"/\\\"}"; printf '"%s"' "$s"; }

# compute every key once, in this shell, inputs first (kc_key memoizes)
for a in src/k8s $(kc_all_artefacts); do kc_key "$a" >/dev/null; done
first=1
[ "$JSON" = 1 ] && printf '['
[ "$JSON" = 1 ] || printf '%-28s %-6s %-8s %-8s %s\n' NAME KIND CACHED LOADED REF
for a in $(kc_all_artefacts); do
  cached=false
  kc_is_cached "$a" && cached=true
  case "$a" in
    img/*)
      kind=image
      ref=$(kc_ref "$a")
      loaded=false
      [ "$DOCKER_OK" = 1 ] && kc_is_loaded "$a" && loaded=true
      ;;
    *)
      kind=binary
      ref=$(kc_path "$a")
      loaded=$cached
      ;;
  esac
  if [ "$JSON" = 1 ]; then
    [ "$first" = 1 ] || printf ','
    first=0
    printf '\n  {"name": %s, "kind": "%s", "ref": %s, "cached": %s, "loaded": %s}' \
      "$(json_str "$a")" "$kind" "$(json_str "$ref")" "$cached" "$loaded"
  else
    printf '%-28s %-6s %-8s %-8s %s\n' "$a" "$kind" "$cached" "$loaded" "$ref"
  fi
done
if [ "$JSON" = 1 ]; then printf '\n]\n'; else
  [ "$DOCKER_OK" = 1 ] || echo "(docker is not answering: loaded shows false)"
fi
exit 0
}
