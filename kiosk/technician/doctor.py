"""`kiosk doctor`: every check on a data directory, whether or not a pad runs on it, one line each, for
reading out over the phone. (The same checks on the running pad, for the console, are technician/live.py.)"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from kiosk import __version__
from kiosk.config import CONFIG_FILE, Config
from kiosk.domain.clock import CHINA_TIME, SystemClock
from kiosk.store.db import LEDGER_FILE
from kiosk.store.errors import LedgerError
from kiosk.store.ledger import Ledger
from kiosk.sync.transport import Transport
from kiosk.system.instance import LOCK_FILE
from kiosk.technician.checks import (
    DEAD_LETTERS_SHOWN,
    Check,
    Status,
    check_button_map,
    check_clock,
    check_config,
    check_dead_letters,
    check_disk,
    check_evaluator_answer,
    check_evaluator_state,
    check_ledger,
    check_pin,
    check_ports,
    check_province_answer,
    check_queue,
    no_province,
    no_serial_evaluator,
)
from kiosk.technician.gateway_checks import gateway_app, gateway_checks
from kiosk.technician.probes import DeviceAnswer, bridge_status, probe_evaluator, probe_uplink, serial_ports
from kiosk.technician.tls import check_tls, probe_tls

# -- a data directory (kiosk doctor) ---------------------------------------------------------------------


@dataclass
class PadProcess:
    """Whether a pad runs on the data directory; while the doctor holds `fd`, none can start.

    The lock is taken shared on the pad's existing lock file, never made or written: a doctor run as another
    user (root) then leaves no file behind that the pad could not open.
    """

    running: bool
    pid: int | None = None
    fd: int | None = None

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def find_pad(data_dir: Path) -> PadProcess:
    try:
        fd = os.open(data_dir / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return PadProcess(False)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as exc:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return PadProcess(True, int(text) if text.isdigit() else None)
        return PadProcess(False)
    return PadProcess(False, fd=fd)


def _pad_check(pad: PadProcess) -> Check:
    if pad.running:
        return Check(
            "pad", Status.OK, "running on this data directory" + (f" (pid {pad.pid})" if pad.pid else "")
        )
    return Check(
        "pad",
        Status.WARN,
        "not running on this data directory",
        "start it (systemctl start kiosk); `journalctl -u kiosk` says why it stopped",
    )


def _owner_check(data_dir: Path) -> Check | None:
    """Whether the doctor runs as the data directory's owner; as root it would leave files the pad cannot
    open, so it then reads neither the ledger nor the lock."""
    owner = data_dir.stat().st_uid
    if os.geteuid() == owner:
        return None
    return Check(
        "user",
        Status.WARN,
        f"the doctor runs as uid {os.geteuid()}, the data directory belongs to uid {owner}: "
        "the ledger, the lock and the port were not looked at",
        f"run it as the owner, e.g. sudo -u kiosk kiosk doctor --data-dir {data_dir}",
    )


def diagnose_data_dir(
    data_dir: Path,
    probe: Callable[[str, str, int, int], DeviceAnswer] = probe_evaluator,
) -> list[Check]:
    """Every check, on a data directory, whether or not a pad runs on it."""
    if not data_dir.is_dir():
        return [
            Check(
                "data directory",
                Status.FAIL,
                f"{data_dir} does not exist",
                "give the pad's data directory with --data-dir (the service's is /var/lib/kiosk)",
            )
        ]
    owner = _owner_check(data_dir)
    config_check, config = check_config(data_dir / CONFIG_FILE)
    checks = [config_check] + ([owner] if owner else [])
    pad = PadProcess(False) if owner else find_pad(data_dir)
    try:
        if owner is None:
            checks.append(_pad_check(pad))
        if config is not None:
            checks += _config_checks(data_dir, config, pad, probe, reads_files=owner is None)
        if owner is None:
            checks.append(check_ledger(data_dir))
        checks.append(check_disk(data_dir))
    finally:
        pad.release()
    return checks


def _config_checks(
    data_dir: Path,
    config: Config,
    pad: PadProcess,
    probe: Callable[[str, str, int, int], DeviceAnswer],
    reads_files: bool,
) -> list[Check]:
    checks = [check_pin(config, data_dir), check_ports(config, serial_ports())]
    ev = config.evaluator
    if ev.protocol not in ("frame", "ascii"):
        checks.append(no_serial_evaluator(ev.protocol))
    elif pad.running:
        checks.append(_running_pad_evaluator(data_dir, config))
    elif reads_files:
        checks.append(check_evaluator_answer(config, probe(ev.protocol, ev.port, ev.baud, ev.address)))
    checks.append(check_button_map(ev.buttons))
    ledger = _open_ledger(data_dir) if reads_files else None
    try:
        uplink_ok = True
        if config.uplink.profile == "fujian-gateway":
            app = gateway_app(config, data_dir, read_secrets=reads_files)
            kept = ledger.clock_offset() if ledger is not None else None
            found = gateway_checks(config, data_dir, app, kept_offset_s=kept)
            checks += found
            uplink_ok = any(c.name == "gateway token" and c.status is Status.OK for c in found)
        elif not config.uplink.url:
            checks.append(no_province())
            uplink_ok = False
        else:
            device_id = ledger.device_id if ledger else config.device.id or "not-yet-made"
            secret = ledger.device_secret() if ledger else None
            transport = network_settings(config, data_dir)
            url, timeout_s = config.uplink.url, config.uplink.timeout_s
            checks.append(check_tls(probe_tls(url, transport, timeout_s), url, datetime.now(CHINA_TIME)))
            answer = probe_uplink(url, device_id, secret, timeout_s, transport=transport)
            unread = ledger is None and (data_dir / LEDGER_FILE).exists()
            checks.append(
                check_province_answer(config.uplink.url, None if unread else secret is not None, answer)
            )
            uplink_ok = answer.status == 200
            if answer.reachable:
                checks.append(check_clock(answer.offset_s, answer.offset_exact))
            elif ledger is not None and (kept := ledger.clock_offset()) is not None:
                checks.append(check_clock(kept, kept_from_before=True))
        if ledger is not None:
            counts = ledger.send_counts()
            checks.append(check_queue(counts, uplink_ok))
            checks.append(check_dead_letters(counts.get("dead", 0), ledger.dead_letters(DEAD_LETTERS_SHOWN)))
    except LedgerError as exc:
        checks.append(
            Check(
                "ledger", Status.FAIL, f"cannot be read: {exc}", "run `kiosk store verify` and call support"
            )
        )
    finally:
        if ledger is not None:
            ledger.close()
    return checks


def network_settings(config: Config, data_dir: Path) -> Transport:
    """The uplink's CA, client certificate and proxy as the pad uses them (relative paths in DIR)."""
    up = config.uplink
    return Transport.in_data_dir(
        data_dir, ca_file=up.ca_file, client_cert=up.client_cert, client_key=up.client_key, proxy=up.proxy
    )


def _open_ledger(data_dir: Path) -> Ledger | None:
    if not (data_dir / LEDGER_FILE).exists():
        return None
    try:
        return Ledger.open_read_only(data_dir, SystemClock())
    except LedgerError:
        return None  # the ledger line (verify) says what is wrong with it


def _running_pad_evaluator(data_dir: Path, config: Config) -> Check:
    """A running pad owns the port: its state is asked of its bridge, with its token."""
    ev = config.evaluator
    where = f"{ev.protocol} on {ev.port}"
    advice = "open the console on the pad (its evaluator page shows the live state)"
    if config.bridge.port == 0:
        return Check(
            "evaluator",
            Status.WARN,
            f"{where}: owned by the running pad; bridge.port is 0, so its state cannot be asked",
            advice,
        )
    try:
        token = (data_dir / "bridge.token").read_text().strip()
        status = bridge_status(config.bridge.host, config.bridge.port, token)
        evaluator = status["evaluator"]
        return check_evaluator_state(
            str(evaluator["protocol"]), str(evaluator["port"]), str(evaluator["state"])
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc.__class__.__name__
        return Check(
            "evaluator",
            Status.WARN,
            f"{where}: owned by the running pad, whose bridge did not say its state ({reason})",
            advice,
        )
    except Exception as exc:  # requests' errors: the bridge did not answer
        return Check(
            "evaluator",
            Status.WARN,
            f"{where}: owned by the running pad, whose bridge did not answer ({exc.__class__.__name__})",
            advice,
        )


def report_lines(checks: list[Check]) -> list[str]:
    """The report: one line per check, then the tally."""
    tally = {status: sum(1 for c in checks if c.status is status) for status in Status}
    return [check.line() for check in checks] + [
        f"doctor: {tally[Status.OK]} ok, {tally[Status.WARN]} to look at, {tally[Status.FAIL]} failed"
    ]


def exit_status(checks: list[Check]) -> int:
    """0 when no check failed; 2 when the configuration is bad (cli.md: a bad configuration is 2); else 1."""
    if any(c.name == "config" and c.status is Status.FAIL for c in checks):
        return 2
    return 1 if any(c.status is Status.FAIL for c in checks) else 0


def run_doctor(data_dir: Path | None, out: TextIO | None = None) -> int:
    """Prints `kiosk doctor: DIR (kiosk X.Y.Z)`, a line per check (`what: found — what to do`) and the tally.

    Returns:
        0 when no check failed, 1 when one did, 2 when the configuration is bad.
    """
    from kiosk.config import default_data_dir

    stream = out or sys.stdout
    data_dir = (data_dir or default_data_dir()).resolve()
    print(f"kiosk doctor: {data_dir} (kiosk {__version__})", file=stream, flush=True)
    checks = diagnose_data_dir(data_dir)
    for line in report_lines(checks):
        print(line, file=stream, flush=True)
    return exit_status(checks)
