#!/usr/bin/env bash
# kconform: load a user's image bundle into the local Docker.
#
#   harness/images/import.sh FILE
#
# FILE is what `docker save IMAGE...` wrote (a tar, optionally gzip/xz
# compressed). Prints each image reference it loaded, one per line.
set -euo pipefail
if [ $# -ne 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  [ $# -eq 1 ] && exit 0
  exit 2
fi
FILE="$1"
[ -f "$FILE" ] || { echo "no such file: $FILE" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "docker is not answering (run harness/images/setup-host.sh)" >&2; exit 1; }
out=$(docker load -i "$FILE" 2>&1) || { echo "docker load failed:" >&2; echo "$out" >&2; exit 1; }
# "Loaded image: REF" / "Loaded image ID: sha256:..."
refs=$(sed -n 's/^Loaded image: //p; s/^Loaded image ID: //p' <<<"$out")
if [ -z "$refs" ]; then
  echo "$out"
  echo "import: docker load reported no images" >&2
  exit 1
fi
echo "$refs"
echo "import: loaded $(wc -l <<<"$refs") image(s) from $FILE" >&2
