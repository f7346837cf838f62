"""The doctor's checks, shared by `kiosk doctor` (technician/doctor.py, on a data directory) and the
console's diagnostics page (technician/live.py, on the running pad).

Each check says what it checked, what it found, and what to do, in words a technician can read out over the
phone. None reads a personal field; the province's own words (a dead letter's reason) are masked.
"""

from __future__ import annotations

import dataclasses
import enum
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Config, ConfigError, load
from kiosk.devices.base import Diagnostics
from kiosk.devices.port import HWID_PREFIX, find_hwid
from kiosk.domain.clock import CLOCK_ALERT_S
from kiosk.domain.masking import redact
from kiosk.store.db import LEDGER_FILE
from kiosk.store.outbox import DeadLetter
from kiosk.store.verify import verify
from kiosk.technician.pin import describe_hash
from kiosk.technician.probes import DeviceAnswer, PortInfo, UplinkAnswer

LOW_DISK_BYTES = 200 * 1024 * 1024
FULL_DISK_BYTES = 20 * 1024 * 1024
DEAD_LETTERS_SHOWN = 5
NOTHING_TO_DO = "nothing to do"


class Status(enum.StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    """One finding.

    Attributes:
        name: what was checked.
        status: ok, warn (works, but look at it) or fail (something a technician must mend).
        found: what was found.
        advice: what to do ("" when nothing).
    """

    name: str
    status: Status
    found: str
    advice: str = ""

    def line(self) -> str:
        """`WARN province: what it found — what to do`."""
        return f"{self.status.value.upper():<4} {self.name}: {self.found} — {self.advice or NOTHING_TO_DO}"


def worst(checks: Sequence[Check]) -> Status:
    statuses = {c.status for c in checks}
    return Status.FAIL if Status.FAIL in statuses else Status.WARN if Status.WARN in statuses else Status.OK


# -- configuration -------------------------------------------------------------------------------------


def check_config(path: Path) -> tuple[Check, Config | None]:
    """The configuration file as `kiosk run` would read it."""
    if not path.exists():
        config = Config()
        return Check(
            "config", Status.OK, f"no {path}: every setting is at its default; {summary(config)}"
        ), config
    try:
        config = load(path)
    except ConfigError as exc:
        return (
            Check(
                "config",
                Status.FAIL,
                f"{path}: {exc}",
                f"correct {exc.key} in {path} (docs/cli.md lists every key); the pad does not start until then",
            ),
            None,
        )
    return Check("config", Status.OK, f"{path} is valid; {summary(config)}"), config


def summary(config: Config) -> str:
    ev = config.evaluator
    if ev.protocol in ("none", "keyboard"):
        evaluator = ev.protocol
    else:
        evaluator = f"{ev.protocol} on {ev.port} at {ev.baud} baud, address {ev.address}"
    province = province_url(config) or "none (offline)"
    if config.uplink.profile == "fujian-gateway":
        province += " (Fujian gateway)"
    return f"role {config.device.role}, evaluator {evaluator}, province {province}"


def province_url(config: Config) -> str:
    """The province's address in the profile in force: the JSON uplink's url, or the Fujian gateway's."""
    up = config.uplink
    return up.fujian.gateway if up.profile == "fujian-gateway" else up.url


def check_pin(config: Config, data_dir: Path) -> Check:
    stored = config.console.pin_hash
    if not stored:
        return Check(
            "technician PIN",
            Status.WARN,
            "none is set (console.pin_hash is empty): the first person at the console sets it",
            f"set it now: kiosk pin set --data-dir {data_dir}",
        )
    kind = describe_hash(stored)
    if kind is None:
        return Check(
            "technician PIN",
            Status.FAIL,
            "console.pin_hash holds no hash this kiosk reads: the console cannot be opened",
            f"set a new PIN: kiosk pin set --data-dir {data_dir}",
        )
    return Check("technician PIN", Status.OK, f"set, kept only as a salted {kind} hash")


# -- the evaluator ---------------------------------------------------------------------------------------


def check_ports(config: Config, ports: Sequence[PortInfo]) -> Check:
    """The serial ports plugged in, with the `hwid:` name of each USB one, against evaluator.port."""
    listing = "; ".join(p.summary() + (f" = {p.hwid_name}" if p.hwid_name else "") for p in ports) or "none"
    ev = config.evaluator
    if ev.protocol not in ("frame", "ascii"):
        return Check("serial ports", Status.OK, listing)
    if not ports and not _is_url(ev.port):
        return Check(
            "serial ports",
            Status.WARN,
            "none at all",
            "plug the evaluator's USB cable in; `dmesg` shows whether its adapter (CH340, CP210x, FTDI) was recognised",
        )
    if ev.port.startswith(HWID_PREFIX):
        try:
            match = find_hwid(ev.port, ports)
        except ValueError as exc:
            return Check(
                "serial ports", Status.FAIL, f"{listing}; evaluator.port: {exc}", "correct evaluator.port"
            )
        if match is None:
            return Check(
                "serial ports",
                Status.WARN,
                f"{listing}; none of them is {ev.port}",
                "plug the evaluator in; if it is listed with another identity, choose it on the console's "
                "evaluator page (or set evaluator.port to its hwid: name)",
            )
        return Check("serial ports", Status.OK, f"{listing}; {ev.port} is {match}")
    return Check("serial ports", Status.OK, f"{listing}; evaluator.port is {ev.port}")


def _is_url(port: str) -> bool:
    return "://" in port


def check_button_map(buttons: dict[int, int]) -> Check:
    mapping = ", ".join(f"{b}={level}" for b, level in sorted(buttons.items()))
    levels = sorted(set(buttons.values()), reverse=True)
    if set(levels) >= {1, 2, 3, 4, 5}:
        return Check("button map", Status.OK, f"{mapping}: all five levels")
    return Check(
        "button map",
        Status.WARN,
        f"{mapping}: only levels {', '.join(map(str, levels))}, fewer than five",
        "map five buttons to levels 5 to 1 (evaluator.buttons; the rules need all five levels); "
        "the pad still works with the levels there are",
    )


def check_evaluator_state(protocol: str, port: str, state: str, firmware: str = "") -> Check:
    """The evaluator as a running pad sees it (its own objects, or its bridge's status)."""
    if protocol in ("none", "keyboard") or state == "none":
        return no_serial_evaluator(protocol)
    where = f"{protocol} on {port}"
    if state == "connected":
        return Check(
            "evaluator", Status.OK, f"{where}: connected" + (f", firmware {firmware}" if firmware else "")
        )
    if state == "unresponsive":
        return Check(
            "evaluator",
            Status.FAIL,
            f"{where}: the port is open but the device does not answer",
            "check the evaluator's power, then evaluator.protocol, evaluator.baud and evaluator.address",
        )
    return Check(
        "evaluator",
        Status.FAIL,
        f"{where}: not connected",
        "check the evaluator's cable; if it is plugged into another port, choose it on the console "
        "(the serial ports line lists what is plugged in); the pad reopens the port by itself",
    )


def no_serial_evaluator(protocol: str) -> Check:
    if protocol == "keyboard":
        return Check(
            "evaluator", Status.OK, "keyboard: the buttons type keys the pad hears while its window has focus"
        )
    return Check("evaluator", Status.OK, "none configured: the pad is rated by touch and QR code only")


def check_evaluator_answer(config: Config, answer: DeviceAnswer) -> Check:
    """The evaluator as the doctor found it on its port (no pad running)."""
    ev = config.evaluator
    where = f"{ev.protocol} on {ev.port} at {ev.baud} baud"
    if not answer.opened:
        if answer.not_found:
            advice = (
                "plug the evaluator in and check its USB cable; if it is on another port, choose it on the "
                "console (the serial ports line lists what is plugged in)"
            )
        elif "ermission" in answer.error:
            advice = "add the pad's user to the dialout group (packaging/kiosk.service does: SupplementaryGroups=dialout)"
        elif "busy" in answer.error.lower() or "locked" in answer.error.lower():
            advice = "another program has the port open (a `kiosk evaluator monitor`?): close it"
        else:
            advice = "check evaluator.port and the cable"
        return Check("evaluator", Status.FAIL, f"{where}: cannot be opened: {answer.error}", advice)
    if answer.answered:
        return Check("evaluator", Status.OK, f"{where}: {answer.detail}")
    if answer.error:
        return Check(
            "evaluator", Status.FAIL, f"{where}: lost while asking: {answer.error}", "check the cable"
        )
    test = f"kiosk evaluator monitor --port {ev.port} --protocol {ev.protocol} --baud {ev.baud}"
    if ev.protocol == "ascii":
        return Check(
            "evaluator",
            Status.WARN,
            f"{where}: the port opens; {answer.detail} (an ascii device may stay quiet until pressed)",
            f"press a button with `{test}` running to see it",
        )
    return Check(
        "evaluator",
        Status.FAIL,
        f"{where}: the port opens, but {answer.detail}",
        f"check the evaluator's power, evaluator.address and evaluator.baud; try `{test} --address {ev.address}`",
    )


def counters_text(diagnostics: Diagnostics) -> str:
    """The port's counters in one line (evaluator-protocol.md's diagnostics)."""
    names = [f.name for f in dataclasses.fields(diagnostics) if f.name != "extra"]
    return ", ".join(f"{name.replace('_', ' ')} {getattr(diagnostics, name)}" for name in names)


# -- the province ----------------------------------------------------------------------------------------


def no_province() -> Check:
    return Check(
        "province",
        Status.WARN,
        "uplink.url is empty: the pad is offline by configuration; ratings stay on the device",
        "set uplink.url to the province's address (e.g. https://…/api/v1) and enrol the device",
    )


def check_province_answer(url: str, enrolled: bool | None, answer: UplinkAnswer) -> Check:  # noqa: PLR0911 - one line per state the doctor reads out
    """What one request to the province showed.

    Args:
        enrolled: whether the device has its key (the request was signed), None when the ledger was not read.
    """
    if not answer.reachable:
        return Check(
            "province",
            Status.FAIL,
            f"{url}: not reachable ({answer.error})",
            "check the network cable or Wi-Fi, uplink.url, and that the firewall lets the pad reach the "
            "province; ratings wait on the device and go out by themselves once it is reachable",
        )
    status, code = answer.status, answer.code
    if status == 200:
        return Check(
            "province",
            Status.OK,
            f"{url}: reachable; it knows this device (configuration {answer.config_version})",
        )
    if enrolled is None:
        return Check(
            "province",
            Status.WARN,
            f"{url}: reachable; whether it knows this device was not checked (the device's key was not read)",
            "run the doctor as the data directory's owner to check it",
        )
    if not enrolled:
        return Check(
            "province",
            Status.WARN,
            f"{url}: reachable; this device is not enrolled yet",
            "enter the enrolment code the province issued for this window (console: enrolment)",
        )
    if code == "bad_signature":
        return Check(
            "province",
            Status.FAIL,
            f"{url}: reachable, but it refuses this device's key (bad_signature)",
            "the device was enrolled again elsewhere or reset at the province: enter a new enrolment code",
        )
    if code == "device_revoked":
        return Check(
            "province",
            Status.FAIL,
            f"{url}: reachable, but it has revoked this device",
            "ask the province's support to restore it, or for a new enrolment code",
        )
    if status >= 500:
        return Check(
            "province",
            Status.FAIL,
            f"{url}: answered HTTP {status}",
            "a fault at the province: ratings wait on the device; try again later and tell its support if it lasts",
        )
    return Check(
        "province",
        Status.WARN,
        f"{url}: answered HTTP {status}" + (f" {code}" if code else ""),
        "check uplink.url: it is the service's base address with its version, e.g. https://…/api/v1",
    )


def check_clock(offset_s: float | None, exact: bool = True, *, kept_from_before: bool = False) -> Check:
    """The province's clock minus the pad's own; `exact` is false when it was read from an HTTP Date header,
    `kept_from_before` true when the province cannot be asked now and the offset is the one the pad last
    learned (kept in its ledger).

    The pad corrects every time it checks or writes by this offset (rules.md R13), so a wrong system clock
    does not stop it; over CLOCK_ALERT_S it is still a warning, since the system clock should be set.
    """
    if offset_s is None:
        return Check(
            "clock", Status.WARN, "the province's answer told no time", "compare the pad's clock by hand"
        )
    if kept_from_before:
        found = f"when the province last answered, the pad's clock was {offset_s:+.0f} s from its clock"
    elif exact:
        found = f"the pad's clock is {offset_s:+.1f} s from the province's"
    else:
        found = f"the pad's clock is {offset_s:+.0f} s from the province's (to within a second or two)"
    if abs(offset_s) <= CLOCK_ALERT_S:
        return Check("clock", Status.OK, found)
    return Check(
        "clock",
        Status.WARN,
        found + "; the pad uses the province's time for every time it checks or writes",
        "set the system clock from the hall's time source: run chrony or systemd-timesyncd "
        "(timedatectl set-ntp true; see the operator guide)",
    )


def check_chain(accepted_seq: int | None, answered: int, last_seq: int, alarmed: bool) -> Check:
    """The province's acceptedSeq (from its last heartbeat answer) against the device's own.

    Args:
        alarmed: the uplink found, at that heartbeat, that the province holds less than the device had
            answered (the `chain` alert); a later answer makes the two numbers differ without harm.
    """
    own = f"the device has answers to seq {answered} of {last_seq}"
    if accepted_seq is None:
        return Check("province's chain", Status.OK, f"not reported yet (it comes with each heartbeat); {own}")
    found = f"at its last heartbeat the province held the chain to seq {accepted_seq}; {own}"
    if alarmed:
        return Check(
            "province's chain",
            Status.FAIL,
            found,
            "records the province answered are missing there: call its support with these numbers",
        )
    return Check("province's chain", Status.OK, found)


# -- the ledger ------------------------------------------------------------------------------------------


def check_queue(counts: dict[str, int], uplink_ok: bool) -> Check:
    pending = counts.get("pending", 0)
    sent = counts.get("accepted", 0) + counts.get("duplicate", 0)
    found = f"{pending} waiting to be sent; {sent} accepted, {counts.get('superseded', 0)} superseded"
    if pending and not uplink_ok:
        return Check(
            "queue",
            Status.WARN,
            found,
            "they are safe on the device and go out once the province is reachable",
        )
    return Check("queue", Status.OK, found, "they go out by themselves" if pending else "")


def dead_letter_text(letter: DeadLetter) -> str:
    """A dead letter as technicians read it: seq, code, field and the province's words, masked."""
    text = f"seq {letter.seq} {letter.code or 'rejected'}"
    if letter.field:
        text += f" ({letter.field})"
    if letter.message:
        text += f": {redact(letter.message)[:80]}"
    return text


def check_dead_letters(count: int, letters: Sequence[DeadLetter]) -> Check:
    if not count:
        return Check("dead letters", Status.OK, "none")
    shown = "; ".join(dead_letter_text(letter) for letter in letters[:DEAD_LETTERS_SHOWN])
    more = f"; and {count - DEAD_LETTERS_SHOWN} more" if count > DEAD_LETTERS_SHOWN else ""
    return Check(
        "dead letters",
        Status.WARN,
        f"{count} rejected by the province: {shown}{more}",
        "they stay on the device and are never sent again; give the province's support the seq numbers and codes",
    )


def check_ledger(data_dir: Path) -> Check:
    if not (data_dir / LEDGER_FILE).exists():
        return Check("ledger", Status.OK, "no ledger yet: the pad makes it at its first start")
    verification = verify(data_dir)
    if verification.ok:
        return Check("ledger", Status.OK, f"{verification}: integrity, sequence and every hash check out")
    return Check(
        "ledger",
        Status.FAIL,
        verification.problem,
        "change nothing in the data directory; copy it whole (with secrets/) and call support",
    )


def check_disk(data_dir: Path) -> Check:
    free = shutil.disk_usage(data_dir).free
    found = f"{free / 1024 / 1024:.0f} MB free for {data_dir}"
    if free < FULL_DISK_BYTES:
        return Check(
            "disk", Status.FAIL, found, "free space now: the pad stops taking ratings when the disk is full"
        )
    if free < LOW_DISK_BYTES:
        return Check("disk", Status.WARN, found, "free some space (old files outside the data directory)")
    return Check("disk", Status.OK, found)
