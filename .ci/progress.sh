# Sourced by the set-up scripts. `phase LABEL COMMAND…` runs a long command with its output in a
# log, and prints a line when it starts, one every 20 s while it runs (elapsed time and the log's
# latest line), and one with its time when it ends: no minute of set-up passes silently. On failure
# it prints the end of the log and stops the script.
phase() {
  local label="$1" log pid start status=0
  shift
  log="$(mktemp)"
  start=$SECONDS
  echo "setup: $label …"
  "$@" > "$log" 2>&1 &
  pid=$!
  local latest
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null && sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      latest="$(grep -v '^\s*$' "$log" | tail -1 | tr -d '\r' | cut -c1-90)"
      echo "setup:   $label: $((SECONDS - start)) s${latest:+, $latest}"
    fi
  done
  wait "$pid" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "setup: $label failed (exit $status); the end of its output:" >&2
    tail -25 "$log" >&2
    rm -f "$log"
    exit "$status"
  fi
  rm -f "$log"
  echo "setup: $label done in $((SECONDS - start)) s"
}

# `apt_install PACKAGE…` installs the Debian packages not installed yet, in one apt-get run.
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  phase "apt-get update" "${sudo[@]}" apt-get update
  echo "setup: Debian packages to install: ${missing[*]}"
  phase "apt-get install (${#missing[@]} packages)" "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}
