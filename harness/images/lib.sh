# shellcheck shell=bash
# Shared helpers for kconform's offline testbed scripts (sourced, not run).
# Progress lines go to stdout; each step's command output goes to a log file
# under $KC_CACHE/logs; a failing step prints its name, the command and the
# last 30 lines of its log, then the script exits non-zero.

KC_IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KC_CACHE="${KCONFORM_CACHE:-$HOME/.cache/kconform}"
KC_LOGS="$KC_CACHE/logs"
mkdir -p "$KC_CACHE" "$KC_LOGS" "$KC_CACHE/bin"

KC_STEP_NO=0
KC_STEP_TOTAL=0
KC_STEP_NAME=""
KC_STEP_LOG=""

# kc_step NAME: start step NAME; its log is $KC_LOGS/NAME.log (truncated).
kc_step() {
  KC_STEP_NO=$((KC_STEP_NO + 1))
  KC_STEP_NAME="$1"
  KC_STEP_LOG="$KC_LOGS/${1//\//_}.log"
  : >"$KC_STEP_LOG"
  KC_STEP_T0=$(date +%s)
}

# kc_say TEXT: one progress line for the current step.
kc_say() {
  if [ "$KC_STEP_TOTAL" -gt 0 ]; then
    printf '==> [%d/%d] %s\n' "$KC_STEP_NO" "$KC_STEP_TOTAL" "$*"
  else
    printf '==> %s\n' "$*"
  fi
}

kc_info() { printf '    %s\n' "$*"; }

kc_elapsed() { echo "$(($(date +%s) - KC_STEP_T0))s"; }

kc_fail() { # kc_fail COMMAND [LOG]
  local log="${2:-$KC_STEP_LOG}"
  {
    echo "!! FAILED step: ${KC_STEP_NAME:-?}"
    echo "!! command: $1"
    if [ -n "$log" ] && [ -f "$log" ]; then
      echo "!! last 30 lines of $log:"
      tail -n 30 "$log" | sed 's/^/   | /'
    fi
  } >&2
  exit 1
}

# kc_run CMD...: run CMD (a program or a shell function, with errexit on) with
# its output appended to the step log; fail the script if it fails.
kc_run() {
  local rc
  echo "+ $*" >>"$KC_STEP_LOG"
  set +e
  (
    set -euo pipefail
    "$@"
  ) >>"$KC_STEP_LOG" 2>&1 </dev/null
  rc=$?
  set -e
  [ "$rc" -eq 0 ] || kc_fail "$* (exit $rc)"
}

# kc_hash STRING... : short sha256 of the arguments' text.
kc_hash() { printf '%s\n' "$@" | sha256sum | cut -c1-12; }

# kc_hash_files FILE...: short sha256 over the named files' contents.
kc_hash_files() { cat "$@" | sha256sum | cut -c1-12; }

# kc_fn_src NAME...: source text of shell functions (for cache keys).
kc_fn_src() { local f; for f in "$@"; do declare -f "$f"; done; }

kc_have_docker() { docker info >/dev/null 2>&1; }

# kc_need PROGRAM INSTALL-STEP: stop with one line naming a missing program and how to get it.
kc_need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "!! missing: $1 is not installed; $2" >&2
  exit 1
}
