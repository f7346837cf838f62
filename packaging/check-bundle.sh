#!/usr/bin/env bash
# Checks a built bundle the way a pad runs it: no Python, no venv, no source tree, an empty environment.
#
#   packaging/check-bundle.sh [BUNDLE_DIR]      (default: dist/kiosk; `make bundle` runs it)
#
# Every command runs under `env -i` with PATH set to an empty directory (so no python3 can be found), HOME and
# the data directories in a fresh temporary directory, QT_QPA_PLATFORM=offscreen, and LANG=C.UTF-8 as the
# systemd unit sets it. Checks, in order: the bundle's layout (the executable, assets, the CJK font, the
# offscreen and xcb platform plugins, QtMultimedia and its FFmpeg plugin, the bridge's client.js, the
# sandbox's data, and none of the Qt modules the spec excludes), `kiosk --version`, `kiosk store verify` on an empty data directory, `kiosk
# run --headless` to its ready line and a clean exit 0 on SIGTERM, `kiosk sandbox --port 0` likewise, and a
# headless `kiosk demo`. Exit 0 when all pass; otherwise the first failure, with the command's output, and
# exit 1.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
bundle="$(cd "${1:-$root/dist/kiosk}" 2>/dev/null && pwd)" || {
  echo "check-bundle: FAIL: no bundle at ${1:-$root/dist/kiosk} (build it: make bundle)" >&2
  exit 1
}
exe="$bundle/kiosk"
internal="$bundle/_internal"
work="$(mktemp -d "${TMPDIR:-/tmp}/kiosk-check.XXXXXX")"
pids=()

cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/home" "$work/no-python" "$work/empty"

fail() {
  echo "check-bundle: FAIL: $*" >&2
  local f
  for f in "$work"/*.out "$work"/*.err; do
    [ -s "$f" ] && { echo "--- ${f##*/}" >&2; tail -n 40 "$f" >&2; }
  done
  exit 1
}

pass() {
  echo "check-bundle: ok: $*"
}

# The bundle, alone: nothing from this shell's environment.
clean_env=(env -i PATH="$work/no-python" HOME="$work/home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen)
bundled() {
  "${clean_env[@]}" "$exe" "$@"
}

# Starts `kiosk ARGS…` in the background as $1, logging to $work/$1.out and .err. A simple command, not a
# function, so that $! is the pad's own pid (env execs it) and SIGTERM reaches the pad, not a subshell.
start() {
  local name="$1"
  shift
  "${clean_env[@]}" "$exe" "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=("$!")
  last_pid="$!"
}

# Waits up to $3 seconds for a line matching the ERE $2 in $work/$1.out, while the process $4 lives.
wait_for_line() {
  local name="$1" pattern="$2" timeout="$3" pid="$4" waited=0
  while ! grep -Eq "$pattern" "$work/$name.out"; do
    kill -0 "$pid" 2>/dev/null || fail "$name exited before printing /$pattern/"
    [ "$waited" -ge $((timeout * 10)) ] && fail "$name printed no /$pattern/ within ${timeout} s"
    sleep 0.1
    waited=$((waited + 1))
  done
}

# SIGTERM to $2, then its exit code must be 0 within 15 s.
stop_cleanly() {
  local name="$1" pid="$2" waited=0 code=0
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    [ "$waited" -ge 150 ] && fail "$name did not stop within 15 s of SIGTERM"
    sleep 0.1
    waited=$((waited + 1))
  done
  wait "$pid" || code=$?
  [ "$code" -eq 0 ] || fail "$name exited $code after SIGTERM (expected 0)"
}

# 1. Layout.
[ -x "$exe" ] || fail "$exe is not an executable"
for f in \
  assets/reasons.json \
  assets/fonts/wqy-microhei.ttc \
  kiosk/bridge/client.js \
  PySide6/Qt/plugins/platforms/libqoffscreen.so \
  PySide6/Qt/plugins/platforms/libqxcb.so \
  PySide6/QtMultimedia.abi3.so \
  PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so \
  province/data/reasons.json \
  province/data/cert_types.json \
  province/templates/base.html \
  province/templates/evaluate.html; do
  [ -e "$internal/$f" ] || fail "the bundle lacks _internal/$f"
done
unwanted="$(
  cd "$internal" && find . \( \
    -name 'libQt6WebEngine*' -o -name 'libQt63D*' -o -name 'libQt6Charts*' -o -name 'libQt6Quick3D*' \
    -o -name 'libQt6DataVisualization*' -o -name 'libQt6Graphs*' -o -name 'libQt6Pdf*' \
    -o -name 'libQt6Designer*' -o -name 'libqtvirtualkeyboardplugin*' -o -name 'libqgtk3*' \
    -o -name 'QtQml*.so' -o -name 'QtQuick*.so' -o -name 'QtWebEngine*.so' -o -name 'Qt3D*.so' \
    -o -name 'QtCharts*.so' \) -print
)"
[ -z "$unwanted" ] || fail "the bundle carries excluded Qt modules: $unwanted"
pass "layout ($(du -sh "$bundle" | cut -f1) in $bundle)"

# 2. --version
bundled --version >"$work/version.out" 2>"$work/version.err" || fail "kiosk --version exited $?"
expected=""
if [ -f "$root/kiosk/__init__.py" ]; then
  expected="kiosk $(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$root/kiosk/__init__.py")"
fi
version="$(cat "$work/version.out")"
[[ "$version" =~ ^kiosk\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "kiosk --version printed '$version'"
[ -z "$expected" ] || [ "$version" = "$expected" ] || fail "kiosk --version printed '$version', source says '$expected'"
pass "$version"
rm -f "$work"/version.*

# 3. store verify on an empty data directory.
bundled store verify --data-dir "$work/empty" >"$work/verify.out" 2>"$work/verify.err" ||
  fail "kiosk store verify exited $?"
[ "$(cat "$work/verify.out")" = "ok: 0 records" ] || fail "kiosk store verify printed '$(cat "$work/verify.out")'"
pass "store verify: $(cat "$work/verify.out")"
rm -f "$work"/verify.*

# 4. The pad, headless: the ready line, then a clean stop.
start run run --headless --data-dir "$work/data" --set bridge.port=0 --set evaluator.protocol=none
run_pid="$last_pid"
wait_for_line run '^kiosk: ready bridge=http://127\.0\.0\.1:[0-9]+ data=' 60 "$run_pid"
[ "$(stat -c %a "$work/data/bridge.token")" = 600 ] || fail "bridge.token is not mode 0600"
stop_cleanly run "$run_pid"
pass "run: $(grep -E '^kiosk: ready' "$work/run.out")"
rm -f "$work"/run.*

# 5. The sandbox (province/ and its data files), likewise.
start sandbox sandbox --port 0 --db "$work/sandbox.sqlite3"
sandbox_pid="$last_pid"
wait_for_line sandbox '^sandbox: ready url=http://127\.0\.0\.1:[0-9]+/api/v1$' 60 "$sandbox_pid"
stop_cleanly sandbox "$sandbox_pid"
pass "$(grep -E '^sandbox: ready' "$work/sandbox.out")"
rm -f "$work"/sandbox.*

# 6. The demo: sandbox, enrolment, evaluator simulator, ratings uploaded and accepted, all from the bundle.
bundled demo --headless --ratings 2 --data-dir "$work/demo" >"$work/demo.out" 2>"$work/demo.err" ||
  fail "kiosk demo --headless exited $?"
grep -Eq '^demo: 2 rated, 2 accepted by the province, 0 waiting$' "$work/demo.out" ||
  fail "kiosk demo did not end with 2 of 2 accepted"
pass "$(tail -n 1 "$work/demo.out")"

echo "check-bundle: all checks passed"
