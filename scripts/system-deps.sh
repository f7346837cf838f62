#!/usr/bin/env bash
# Installs the Debian packages the pad and its tests need, when run as root on a Debian-like system and
# when any is missing. Elsewhere it only says what it would want, so `make test` also works for a developer
# who installed them another way.
set -euo pipefail

packages=(
  python3-venv
  # Qt's runtime (xcb/offscreen platform plugins, OpenGL, fonts) and QtMultimedia's PulseAudio client
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 libpulse0
  # the xcb platform plugin's libraries, so that the bundle carries them for a pad with an X display
  libxcb1 libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0
  # a CJK font, so that Chinese renders on the screens, in screenshots and in the bundle
  fonts-wqy-microhei
  # the sqlite3 shell, which the tamper tests use to alter rows behind the pad's back
  sqlite3
  # libfaketime, which the clock tests (rules.md R13) run a pad under, years behind and hours ahead
  faketime
  # the browser the page tests drive through Playwright (tests/helpers/browser.py); never a downloaded one
  chromium
  # curl, which runs the integrators' examples of docs/case-system-integration.md (tests/docs)
  curl
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
else
  echo "system-deps: not a Debian system; make sure these are installed: ${packages[*]}" >&2
  exit 0
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "system-deps: installing ${missing[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
