"""The diagnostics bundle a technician takes away on a USB stick: one .zip with the configuration without its
secrets, the logs, the counters and the doctor's report, and nothing personal (rules.md R3).

The logs carry no personal data by design; they are masked once more on the way out all the same, since a
province's message quoted in a log line is its own words.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w

from kiosk import __version__
from kiosk.config import ConfigError
from kiosk.domain.masking import redact
from kiosk.files import commit_file
from kiosk.technician.settings import SECRET_KEYS, blank_key, read_document

if TYPE_CHECKING:
    from kiosk.technician.live import LivePad

LOGS_DIR = "logs"
_SECRET_LINE = re.compile(r"^(\s*(?:pin_hash|enroll_code|app_code)\s*=).*$", re.MULTILINE)


def config_without_secrets(path: Path) -> str:
    """kiosk.toml with its secrets (SECRET_KEYS) blanked (kept as text when it is not TOML)."""
    if not path.exists():
        return "# no kiosk.toml: every setting is at its default\n"
    try:
        document = read_document(path)
    except ConfigError as exc:
        text = path.read_text(encoding="utf-8", errors="replace")
        return f"# {exc}\n" + _SECRET_LINE.sub(r'\1 ""', text)
    for key in SECRET_KEYS:
        blank_key(document, key)
    return tomli_w.dumps(document)


def live_counters(live: LivePad) -> dict[str, Any]:
    """The running pad's counters: evaluator, uplink, queue, alerts. No personal data."""
    evaluator = live.evaluator
    uplink = live.uplink
    ledger = live.ledger
    last_seq, _ = ledger.last_link()
    return {
        "deviceId": ledger.device_id,
        "enrolled": live.enrolled,
        "evaluator": {
            **evaluator.as_json(),
            "buttons": {str(b): level for b, level in sorted(live.buttons.items())},
            "fiveLevels": set(live.buttons.values()) >= {1, 2, 3, 4, 5},
            "diagnostics": dataclasses.asdict(live.counters),
        },
        "uplink": {
            "state": uplink.state if uplink else "offline",
            "lastSyncAt": uplink.last_sync_at if uplink else None,
            "clockOffsetS": None
            if uplink is None or uplink.clock_offset_s is None
            else round(uplink.clock_offset_s, 3),
            "acceptedSeq": uplink.accepted_seq if uplink else None,
            "blockedReason": uplink.blocked_reason if uplink else "",
            "answeredPrefix": ledger.answered_prefix(),
            "lastSeq": last_seq,
        },
        "queue": ledger.send_counts(),
        "alerts": sorted(live.alerts),
    }


def bundle_name(device_id: str, at: datetime) -> str:
    safe = re.sub(r"[^A-Za-z0-9-]", "", device_id) or "pad"
    return f"kiosk-diagnostics-{safe}-{at:%Y%m%d-%H%M%S}.zip"


def export_bundle(
    folder: Path,
    data_dir: Path,
    config_path: Path,
    report: Sequence[str],
    counters: dict[str, Any],
    *,
    device_id: str,
    at: datetime,
) -> Path:
    """Writes the bundle into `folder` (written whole, then renamed, then synced) and returns its path.

    Raises:
        OSError: the folder cannot be written.
    """
    final = folder / bundle_name(device_id, at)
    partial = final.with_name(final.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("kiosk.toml", config_without_secrets(config_path))
        bundle.writestr("doctor.txt", "\n".join(redact(line) for line in report) + "\n")
        bundle.writestr("counters.json", json.dumps(counters, ensure_ascii=False, indent=2) + "\n")
        logs = data_dir / LOGS_DIR
        for log_file in sorted(logs.glob("*.log*")) if logs.is_dir() else []:
            text = log_file.read_text(encoding="utf-8", errors="replace")
            bundle.writestr(f"logs/{log_file.name}", redact(text))
        manifest = {
            "kiosk": __version__,
            "deviceId": device_id,
            "createdAt": at.isoformat(timespec="seconds"),
        }
        bundle.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")
    commit_file(partial, final)
    return final


def removable_media(mounts: Path = Path("/proc/self/mounts")) -> list[Path]:
    """The removable media mounted now (under /media, /run/media or /mnt), in mount order."""
    found: list[Path] = []
    try:
        lines = mounts.read_text().splitlines()
    except OSError:
        lines = []
    for line in lines:
        fields = line.split()
        if len(fields) < 2:
            continue
        point = Path(fields[1].replace("\\040", " "))
        removable = any(
            point.is_relative_to(root) for root in (Path("/media"), Path("/run/media"), Path("/mnt"))
        )
        if removable and point not in found:
            found.append(point)
    return found


def export_folders(data_dir: Path, mounts: Path = Path("/proc/self/mounts")) -> list[Path]:
    """Where a bundle may go: the removable media mounted now (under /media, /run/media or /mnt) that this
    user may write, then the data directory's `exports`."""
    writable = [point for point in removable_media(mounts) if os.access(point, os.W_OK)]
    return [*writable, data_dir / "exports"]
