#!/usr/bin/env bash
# Installs a built bundle, its systemd unit and its udev rule, and prepares the data directory.
#
#   packaging/install.sh [--root DIR] [--bundle DIR] [--enable]
#
#   --root DIR     install under DIR instead of / (an image being built, a test); default /
#   --bundle DIR   the PyInstaller bundle (default: dist/kiosk beside this script's repository)
#   --enable       on the real root: enable the service and (re)start it
#
# What goes where (under the root):
#   /opt/kiosk/                                the bundle, root-owned, read-only to the pad; the bundle it
#                                              replaces is kept as /opt/kiosk.previous (roll back: swap them)
#   /etc/systemd/system/kiosk.service          replaced on every install (local changes: drop-ins)
#   /etc/default/kiosk                         the unit's environment: written once, then it is the operator's
#   /etc/udev/rules.d/99-kiosk-evaluator.rules written once, then it is the operator's
#   /usr/lib/sysusers.d/kiosk.conf             the kiosk user, for images (made at their first boot)
#   /var/lib/kiosk/ (0750) and secrets/ (0700) the data directory: made when missing; an existing one keeps
#                                              every file it holds (a reinstalled or replaced pad keeps its
#                                              ledger and queue), only its two modes are put right
#
# On the real root, as root: makes the `kiosk` system user when missing, hands the data directory to it,
# reloads systemd and udev, and restarts a running pad so that it runs the new bundle. Under another --root:
# files only (no user, no ownership, nothing reloaded).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
root="/"
bundle="$repo/dist/kiosk"
enable=0

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --root) [ $# -ge 2 ] || usage; root="$2"; shift 2 ;;
    --root=*) root="${1#*=}"; shift ;;
    --bundle) [ $# -ge 2 ] || usage; bundle="$2"; shift 2 ;;
    --bundle=*) bundle="${1#*=}"; shift ;;
    --enable) enable=1; shift ;;
    -h | --help) usage ;;
    *) echo "install.sh: unknown argument $1" >&2; usage ;;
  esac
done

say() { echo "install.sh: $*"; }
die() { echo "install.sh: $*" >&2; exit 1; }

case "$root" in
  /*) ;;
  *) die "--root must be an absolute path, got '$root'" ;;
esac
[ -d "$root" ] || die "--root $root is not a directory"
root="$(cd "$root" && pwd -P)"  # /tmp/.. is the real root too
[ "$root" = / ] && root=""      # so that "$root/opt" is "/opt"
real_root=0
[ -z "$root" ] && real_root=1
[ -x "$bundle/kiosk" ] || die "no bundle at $bundle (expected $bundle/kiosk; build it with: make bundle)"
if [ "$real_root" -eq 1 ] && [ "$(id -u)" -ne 0 ]; then
  die "installing to / needs root (or give --root DIR)"
fi
[ "$enable" -eq 0 ] || [ "$real_root" -eq 1 ] || die "--enable only applies to the real root"

# The bundle: staged beside its destination, then swapped in, so that a failed copy leaves the old one whole.
opt="$root/opt"
mkdir -p "$opt"
rm -rf "$opt/kiosk.new"
mkdir "$opt/kiosk.new"
cp -a "$bundle/." "$opt/kiosk.new"
# The technician's guide, and the configuration reference it links to, beside the program.
for doc in operator-guide.md configuration.md; do
  if [ -f "$repo/docs/$doc" ]; then
    cp "$repo/docs/$doc" "$opt/kiosk.new/$doc"
  fi
done
chmod -R u+rwX,go+rX,go-w "$opt/kiosk.new"
[ "$(id -u)" -ne 0 ] || chown -R 0:0 "$opt/kiosk.new"
if [ -e "$opt/kiosk" ]; then
  rm -rf "$opt/kiosk.previous"
  mv "$opt/kiosk" "$opt/kiosk.previous"
fi
mv "$opt/kiosk.new" "$opt/kiosk"
say "bundle in $opt/kiosk ($(du -sh "$opt/kiosk" | cut -f1))"

# Files that are ours: replaced. Files that are the operator's: written only when missing.
install -D -m 0644 "$here/kiosk.service" "$root/etc/systemd/system/kiosk.service"
install -D -m 0644 "$here/kiosk.sysusers" "$root/usr/lib/sysusers.d/kiosk.conf"
for pair in "kiosk.env:etc/default/kiosk" "99-kiosk-evaluator.rules:etc/udev/rules.d/99-kiosk-evaluator.rules"; do
  src="$here/${pair%%:*}"
  dst="$root/${pair#*:}"
  if [ -e "$dst" ]; then
    cmp -s "$src" "$dst" || say "kept your $dst (the shipped one is $src)"
  else
    install -D -m 0644 "$src" "$dst"
  fi
done
say "unit, environment, udev rule and sysusers entry under ${root:-/}"

# The data directory: made when missing, never emptied, never overwritten.
data="$root/var/lib/kiosk"
if [ -d "$data" ]; then
  say "keeping the data directory $data ($(find "$data" -type f | wc -l) files)"
fi
mkdir -p "$data/secrets"
chmod 0750 "$data"
chmod 0700 "$data/secrets"

if [ "$real_root" -eq 0 ]; then
  say "done (files only under $root: no user, ownership or reloads)"
  exit 0
fi

if ! getent passwd kiosk >/dev/null; then
  useradd --system --user-group --home-dir /var/lib/kiosk --no-create-home \
    --shell /usr/sbin/nologin --comment "kiosk rating pad (haochaping)" kiosk
  say "made the system user kiosk"
fi
# Ownership, not content: a data directory restored from another pad gets this pad's kiosk user.
chown -R kiosk:kiosk "$data"

if [ ! -d /run/systemd/system ]; then
  say "systemd is not running here: nothing reloaded or started"
else
  systemctl daemon-reload
  if [ "$enable" -eq 1 ]; then
    systemctl enable kiosk.service
    systemctl restart kiosk.service
    say "kiosk.service enabled and (re)started"
  else
    systemctl try-restart kiosk.service
    say "to start the pad now and at every boot: systemctl enable --now kiosk"
  fi
fi
if command -v udevadm >/dev/null && [ -d /run/udev ]; then
  udevadm control --reload
  udevadm trigger --subsystem-match=tty --action=change
fi
say "done"
