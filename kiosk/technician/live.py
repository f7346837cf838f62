"""The doctor's checks on the running pad, for the console's diagnostics page: its own state says what
the doctor would have to ask a bridge for, copied on the Qt thread (LivePad) so that the checks run on the
console's job thread."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Config, ConfigError, load
from kiosk.devices.base import Diagnostics, EvaluatorView
from kiosk.store.ledger import Ledger
from kiosk.sync.status import UplinkStatus
from kiosk.technician.checks import (
    DEAD_LETTERS_SHOWN,
    Check,
    Status,
    check_button_map,
    check_chain,
    check_clock,
    check_config,
    check_dead_letters,
    check_disk,
    check_evaluator_state,
    check_ledger,
    check_pin,
    check_ports,
    check_queue,
    counters_text,
    no_province,
    province_url,
    summary,
)
from kiosk.technician.probes import serial_ports


@dataclass(frozen=True)
class LivePad:
    """What the console's checks need of the running pad, copied on the Qt thread, so that the checks can
    run on the console's job thread without touching the Pad, the driver or the uplink worker.

    Attributes:
        config: the configuration in force (replaced whole when it changes, never changed in place).
        config_path: the file it came from.
        data_dir: the data directory.
        evaluator: the driver's protocol, port, state and firmware.
        counters: the port's counters.
        buttons: the button map in force.
        uplink: the uplink's last published status, or None when the pad has no province.
        alerts: the technician alerts in force, by source.
        enrolled: whether the device has its key.
        ledger: the ledger (thread-safe: its reads take its lock).
        terminal_devices: a self-service terminal's ID card reader and scanner: name, protocol, port, state
            and counters of each (empty on a window pad).
    """

    config: Config
    config_path: Path
    data_dir: Path
    evaluator: EvaluatorView
    counters: Diagnostics
    buttons: dict[int, int]
    uplink: UplinkStatus | None
    alerts: dict[str, str]
    enrolled: bool
    ledger: Ledger
    terminal_devices: tuple[TerminalDevice, ...] = ()


@dataclass(frozen=True)
class TerminalDevice:
    """A terminal's reader or scanner, as the checks see it."""

    name: str  # "ID card reader" or "scanner"
    protocol: str
    port: str
    state: str
    counters: Diagnostics


def check_terminal_device(device: TerminalDevice) -> Check:
    """A reader or scanner is well when connected; the citizen's screen says so while it is not."""
    if device.protocol == "none":
        return Check(device.name, Status.WARN, "none configured: citizens find their cases by the other ways")
    where = f"{device.protocol} on {device.port}: {device.state}; {counters_text(device.counters)}"
    if device.state == "connected":
        return Check(device.name, Status.OK, where)
    return Check(device.name, Status.FAIL, where, "check its cable and power; it reconnects by itself")


def diagnose_live(live: LivePad) -> list[Check]:
    """Every check, on the running pad: its own state says what the doctor would have to ask for.

    Runs on any thread: it reads the snapshot and the ledger (thread-safe), and verifies the ledger on a
    connection of its own.
    """
    checks = [
        _live_config(live),
        check_pin(pin_config(live.config_path, live.config), live.data_dir),
        check_ports(live.config, serial_ports()),
    ]
    evaluator = live.evaluator
    checks.append(
        check_evaluator_state(evaluator.protocol, evaluator.port, evaluator.state, evaluator.firmware)
    )
    if evaluator.protocol in ("frame", "ascii"):
        checks.append(Check("evaluator counters", Status.OK, counters_text(live.counters)))
    checks.append(check_button_map(live.buttons))
    checks += [check_terminal_device(device) for device in live.terminal_devices]
    uplink_ok = _live_uplink(live, checks)
    ledger = live.ledger
    counts = ledger.send_counts()
    checks.append(check_queue(counts, uplink_ok))
    checks.append(check_dead_letters(counts.get("dead", 0), ledger.dead_letters(DEAD_LETTERS_SHOWN)))
    checks.append(check_ledger(live.data_dir))
    checks.append(check_disk(live.data_dir))
    return checks


def _live_config(live: LivePad) -> Check:
    """The configuration in force, and whether the file would be read again at the next start."""
    file_check, file_config = check_config(live.config_path)
    if file_config is None:
        return file_check
    path = live.config_path
    source = f"{path} is valid" if path.exists() else f"no {path}"
    return Check("config", Status.OK, f"{source}; in force: {summary(live.config)}")


def pin_config(config_path: Path, config: Config) -> Config:
    """Where the console's PIN is read: the file (`kiosk pin set` may have changed it since the start),
    else the configuration in force."""
    if config_path.exists():
        try:
            return load(config_path)
        except ConfigError:
            pass
    return config


def _live_uplink(live: LivePad, checks: list[Check]) -> bool:
    uplink = live.uplink
    if uplink is None:
        checks.append(no_province())
        return False
    url = province_url(live.config)
    gateway = live.config.uplink.profile == "fujian-gateway"
    state = uplink.state
    last = uplink.last_sync_at or "never"
    if state == "online":
        checks.append(Check("province", Status.OK, f"{url}: reachable (online); last answer {last}"))
    elif state == "enrolling" and gateway:
        checks.append(
            Check(
                "province",
                Status.WARN,
                f"{url}: no app key and code yet: ratings wait on the device",
                "enter the app key and code the province issued (console: gateway page), then restart",
            )
        )
    elif state == "enrolling":
        checks.append(
            Check(
                "province",
                Status.WARN,
                f"{url}: this device is not enrolled yet",
                "enter the enrolment code the province issued for this window (console: enrolment)",
            )
        )
    elif state == "blocked":
        checks.append(_blocked(url, uplink.blocked_reason))
    else:
        checks.append(
            Check(
                "province",
                Status.FAIL,
                f"{url}: not reachable now ({state}); last answer {last}",
                "check the network cable or Wi-Fi, uplink.url and the firewall; ratings wait on the device",
            )
        )
    if uplink.clock_offset_s is not None:
        checks.append(check_clock(uplink.clock_offset_s, exact=not gateway))
    if gateway:
        return state == "online"  # the gateway reports no acceptedSeq: the chain is checked on the pad
    checks.append(
        check_chain(
            uplink.accepted_seq,
            live.ledger.answered_prefix(),
            live.ledger.last_link()[0],
            "chain" in live.alerts,
        )
    )
    return state == "online"


def _blocked(url: str, reason: str) -> Check:
    if reason == "enroll_refused":
        advice = "the enrolment code was refused (used, or for another window): enter a new one"
    elif reason == "device_revoked":
        advice = (
            "the province revoked this device: ask its support to restore it, or for a new enrolment code"
        )
    else:
        advice = "the province refuses this device's key: enter a new enrolment code"
    return Check("province", Status.FAIL, f"{url}: sending stopped ({reason or 'refused'})", advice)
