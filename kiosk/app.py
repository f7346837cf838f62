"""The composition root: builds every object of a running pad and wires them together."""

from __future__ import annotations

import faulthandler
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import CONFIG_FILE, Config, ConfigError, default_data_dir, load
from kiosk.devices.base import Evaluator
from kiosk.domain.clock import Clock, ProvinceClock, SystemClock, clock_alert
from kiosk.resources import shipped_reasons
from kiosk.sync.status import Alert

if TYPE_CHECKING:
    from PySide6.QtCore import QObject, QTimer

    from kiosk.devices.card_reader import CardReader
    from kiosk.devices.scanner import Scanner
    from kiosk.domain.prompts import Prompt
    from kiosk.store.ledger import Ledger
    from kiosk.sync.client import UplinkClient
    from kiosk.sync.lookup import CaseLookup
    from kiosk.sync.transport import Transport
    from kiosk.sync.worker import UplinkWorker
    from kiosk.technician.checks import Check
    from kiosk.technician.live import LivePad
    from kiosk.ui.technician import TechnicianConsole

log = logging.getLogger(__name__)

EXIT_RESTART = 3
GATEWAY_PROFILE = "fujian-gateway"
"""`kiosk run`'s exit status when the console restarts the pad: the service manager starts it again
(packaging/kiosk.service: Restart=always; only 2, a bad configuration, is not restarted)."""


def _exit_event_loop(code: int) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.exit(code)


def pad_settings(config: Config, headless: bool) -> Any:
    from kiosk.pad import PadSettings

    return PadSettings(
        role=config.device.role,
        rate_timeout_s=config.pad.rate_timeout_s,
        reason_timeout_s=config.pad.reason_timeout_s,
        reasons_after_press=config.pad.reasons_after_press,
        default_after_days=config.pad.default_after_days,
        qr_url_template=config.pad.qr_url_template,
        voice=config.pad.voice,
        # A pad run --headless has a screen: the same screens, offscreen (rules.md R4).
        has_screen=True,
        # Fujian's province applies the 7-day rule itself: the pad records no default (province-fujian.md).
        records_defaults=config.uplink.profile != GATEWAY_PROFILE,
    )


def check_start(config: Config, data_dir: Path) -> None:
    """What `kiosk run` checks before it starts, beyond the keys: the files the configuration names.

    Raises:
        ConfigError: naming the key: a TLS file that is missing or not PEM; in the gateway profile a Case
            template that does not check out (an unknown placeholder named) or a hall file that does not
            (its field named).
    """
    from kiosk.sync.transport import TransportError

    try:
        network_settings(config, data_dir).check()
    except TransportError as exc:
        raise ConfigError(exc.key, str(exc).removeprefix(f"{exc.key}: ")) from None
    if config.uplink.profile != GATEWAY_PROFILE:
        return
    from kiosk.sync.fujian.case_xml import CaseTemplate, TemplateError
    from kiosk.sync.hall_file import HallFileError, read_hall_file

    fujian = config.uplink.fujian
    try:
        CaseTemplate.load(data_dir / fujian.template if fujian.template else None)
    except TemplateError as exc:
        raise ConfigError("uplink.fujian.template", str(exc)) from None
    try:
        read_hall_file(data_dir / fujian.hall_file)
    except HallFileError as exc:
        raise ConfigError("uplink.fujian.hall_file", f"{data_dir / fujian.hall_file}: {exc}") from None


def network_settings(config: Config, data_dir: Path) -> Transport:
    """The uplink's Transport (CA, client certificate, proxy), relative paths in the data directory."""
    from kiosk.sync.transport import Transport

    up = config.uplink
    return Transport.in_data_dir(
        data_dir, ca_file=up.ca_file, client_cert=up.client_cert, client_key=up.client_key, proxy=up.proxy
    )


class PadApplication:
    """A running pad: ledger, evaluator, Pad, bridge, uplink and screens, built from one configuration.

    Args:
        config: the validated configuration.
        data_dir: the data directory (ledger, token, secrets, logs).
        headless: no visible window (Qt offscreen); the screens still exist.
        clock: the pad's own clock (the system's by default); the pad uses it corrected by the offset to
            the province's time that the uplink learns (rules.md R13).
        evaluator: an evaluator to use instead of the configured one (tests, the demo's simulator).
        config_path: the file the configuration came from, which the console writes (DIR/kiosk.toml).
        timer_factory: makes the Pad's timers (see Pad); QTimer by default.
    """

    def __init__(
        self,
        config: Config,
        data_dir: Path,
        *,
        headless: bool = False,
        clock: Clock | None = None,
        evaluator: Evaluator | None = None,
        config_path: Path | None = None,
        timer_factory: Callable[[QObject], QTimer] | None = None,
    ) -> None:
        self._given_evaluator = evaluator
        self._timer_factory = timer_factory
        self.config = config
        self.data_dir = data_dir
        self.config_path = config_path or data_dir / CONFIG_FILE
        self.headless = headless
        self.clock = ProvinceClock(clock or SystemClock())
        self.bridge_url = ""
        self.console: TechnicianConsole | None = None
        self.controls = Controls(self)
        """What the technician's console may do with this pad."""
        self._stopped = False
        self.gateway_profile = config.uplink.profile == GATEWAY_PROFILE
        self.app_code = ""
        """The Fujian gateway app's secret, read from DIR/secrets/ at start (never in `config`)."""
        self.on_exit: Callable[[int], None] = _exit_event_loop
        """Ends Qt's event loop with an exit status (the console's exit and restart; tests record it)."""

    def start(self, ready: Callable[[str], None] | None = None) -> str:
        """Builds and starts everything; returns the bridge URL.

        Args:
            ready: called with the URL as soon as the bridge listens, before the screens are built: the
                Pad already works without them (they show its state when they come), and a pad restarting
                after a power cut is back for the case system sooner.

        Raises:
            StorageUnavailable, LedgerError: the ledger cannot be opened.
            OSError: the bridge's address cannot be bound.
        """
        from kiosk.bridge.api import create_app
        from kiosk.bridge.gateway import PadGateway
        from kiosk.bridge.server import BridgeServer
        from kiosk.bridge.token import load_or_create_token
        from kiosk.domain.access import Access
        from kiosk.pad import Pad
        from kiosk.store.ledger import Ledger

        config = self.config
        self.ledger = Ledger.open(self.data_dir, self.clock, config.device.id)
        self._restore_clock_offset()
        self.transport = network_settings(config, self.data_dir)
        if self.gateway_profile:
            self._take_app_code()
        self.reasons = shipped_reasons()
        ev = config.evaluator
        if ev.protocol == "keyboard" and self.headless:
            log.warning("evaluator.protocol is keyboard, but a headless pad hears no keyboard")
        self.evaluator = self._given_evaluator or self.build_evaluator(config)
        settings = pad_settings(config, self.headless)
        self.pad = Pad(
            self.ledger,
            self.evaluator,
            self.clock,
            settings,
            self.reasons,
            self._timer_factory,
            qr=self._province_qr_codes() if self.gateway_profile else None,
        )
        if self.gateway_profile:
            self.apply_hall_file()
        else:
            self._apply_cached_province_config()
        kept_offset = clock_alert(self.clock.offset_s)
        self.pad.set_alert("clock", Alert("clock", kept_offset) if kept_offset else None)
        self._start_uplink()
        self.pad.start()
        self.evaluator.start()
        self._start_terminal_devices()
        self.token = load_or_create_token(self.data_dir)
        self.gateway = PadGateway(self.pad)
        access = Access.from_settings(config.bridge.allowed_origins, config.bridge.allow_from)
        self.bridge = BridgeServer(
            create_app(self.gateway, lambda: self.token, access), config.bridge.host, config.bridge.port
        )
        self.bridge_url = self.bridge.start()
        if ready is not None:
            ready(self.bridge_url)
        self._start_screens()
        return self.bridge_url

    def _restore_clock_offset(self) -> None:
        """The offset to the province's time learned before this start (R13), until it answers again."""
        offset = self.ledger.clock_offset()
        if offset is not None:
            self.clock.restore(offset)

    def _apply_cached_province_config(self) -> None:
        """The last configuration the province sent, so that an offline restart keeps the roster."""
        from kiosk.sync.province_config import parse_config

        cached = self.ledger.get_meta("province_config")
        if cached:
            try:
                self.pad.on_province_config(parse_config(json.loads(cached), self.reasons))
            except ValueError:
                log.warning("the cached province configuration is unreadable; waiting for a new one")

    def _start_uplink(self) -> None:
        self.worker: UplinkWorker | None = None
        if self.gateway_profile:
            self._start_gateway_uplink()
            return
        up = self.config.uplink
        if not up.url:
            self.pad.set_uplink_state("offline", None)
            return
        # Imported only when there is a province to talk to (requests is a tenth of the start-up).
        from kiosk.sync.events import UplinkEvents
        from kiosk.sync.worker import UplinkWorker

        self.pad.set_uplink_state("online" if self.pad.enrolled else "enrolling", None)
        self.events = UplinkEvents()
        self.worker = UplinkWorker(
            self.ledger,
            self._uplink_client(),
            self.events,
            enroll_code=up.enroll_code,
            heartbeat_s=up.heartbeat_s,
            english=self.reasons,
            # A copy the Pad keeps up to date on the Qt thread: the uplink thread never reads the driver.
            evaluator_status=lambda: self.pad.evaluator_view.get().as_json(),
            clock=self.clock,
        )
        # Each ends in a slot of the Pad, a QObject on the Qt thread, so each is delivered queued there.
        self.events.enrolled.connect(self.pad.set_enrolled)
        self.events.config_received.connect(self.pad.on_province_config)
        self.events.status_changed.connect(self.pad.on_uplink_status)
        self.events.project_answered.connect(self.pad.learn_project_evaluation)
        self.events.alert.connect(self.pad.set_alert)
        self.pad.rating_recorded.connect(lambda _seq: self.worker.wake() if self.worker else None)
        self.pad.final_check = self.worker.ask_project
        self.worker.start()

    def _uplink_client(self) -> UplinkClient:
        """A client of the JSON uplink: the device's key and the province-corrected clock (R13)."""
        from kiosk.sync.client import UplinkClient

        up = self.config.uplink
        return UplinkClient(
            up.url,
            self.ledger.device_id,
            self.ledger.device_secret,
            up.timeout_s,
            clock=self.clock,
            transport=self.transport,
        )

    def _start_terminal_devices(self) -> None:
        """A self-service terminal's ID card reader, barcode scanner and case look-up (idcard-reader.md);
        a window pad has none of them."""
        self.card_reader: CardReader | None = None
        self.scanner: Scanner | None = None
        self.lookup: CaseLookup | None = None
        config = self.config
        if config.device.role != "terminal":
            if config.idcard.protocol != "none" or config.scanner.protocol != "none":
                log.warning("an ID card reader or scanner is configured, but only a terminal uses them")
            return
        from kiosk.devices import create_card_reader, create_scanner

        idcard, scan = config.idcard, config.scanner
        reader = create_card_reader(idcard.protocol, idcard.port, idcard.baud, self.clock)
        # Each ends in a slot of the Pad on the Qt thread: from the drivers' threads, they arrive queued.
        reader.reading.connect(self.pad.on_card_reading)
        reader.card_read.connect(self.pad.on_card_read)
        reader.card_refused.connect(self.pad.on_card_refused)
        reader.state_changed.connect(self.pad.on_reader_state)
        scanner = create_scanner(scan.protocol, scan.port, scan.baud, scan.max_key_gap_ms)
        scanner.case_scanned.connect(self.pad.on_case_scanned)
        scanner.code_refused.connect(self.pad.on_code_refused)
        scanner.state_changed.connect(self.pad.on_scanner_state)
        self.card_reader, self.scanner = reader, scanner
        # Fujian's gateway has no look-up: the terminal says so on its idle screen.
        if config.uplink.url and not self.gateway_profile:
            from kiosk.sync.lookup import CaseLookup

            self.lookup = CaseLookup(self._uplink_client)
            self.lookup.answered.connect(self.pad.on_lookup_answered)
            self.lookup.failed.connect(self.pad.on_lookup_failed)
            self.pad.use_case_lookup(self.lookup.ask)
        reader.start()
        scanner.start()

    # -- the Fujian gateway profile (province-fujian.md) -----------------------------------------------

    def _take_app_code(self) -> None:
        """app_code leaves kiosk.toml at the first start: kept sealed in DIR/secrets/, blanked in the file,
        and never in the configuration in force (which the console shows and the export copies)."""
        from dataclasses import replace

        from kiosk.store.app_secret import AppSecret
        from kiosk.technician.settings import read_document, write_changes

        secret = AppSecret(self.data_dir)
        fujian = self.config.uplink.fujian
        if fujian.app_code:
            secret.write(fujian.app_code)
            log.info("uplink.fujian.app_code moved into %s", secret.path.parent)
            try:
                document = read_document(self.config_path)
                if document.get("uplink", {}).get("fujian", {}).get("app_code"):
                    write_changes(self.config_path, {"uplink.fujian.app_code": ""})
            except (ConfigError, OSError) as exc:
                # The code is kept in secrets/ already; the pad runs, and the doctor still finds it in the file.
                log.error("uplink.fujian.app_code could not be taken out of %s: %s", self.config_path, exc)
            up = self.config.uplink
            self.config = replace(self.config, uplink=replace(up, fujian=replace(fujian, app_code="")))
        self.app_code = secret.read()

    def _province_qr_codes(self) -> Any:
        from kiosk.pad.province_qr import ProvinceQrCodes

        fujian = self.config.uplink.fujian

        def ask(session_id: str, case: dict[str, Any], finish_time: str) -> None:
            uplink = getattr(self, "gateway_uplink", None)
            if uplink is not None:
                uplink.ask_qr(session_id, case, finish_time)

        has_app = bool(fujian.gateway and fujian.app_key and self.app_code)
        return ProvinceQrCodes(ask, lambda: self.pad.placement, has_app=has_app)

    def apply_hall_file(self) -> None:
        """The hall, window, roster, reasons and notices of DIR/hall.json (this gateway has no
        configuration call); without the file the pad runs with the shipped reasons and no roster."""
        from kiosk.sync.hall_file import HallFileError, read_hall_file

        path = self.data_dir / self.config.uplink.fujian.hall_file
        try:
            hall = read_hall_file(path, self.reasons)
        except HallFileError as exc:
            log.error("%s: %s; the pad runs without it", path, exc)
            return
        if hall is None:
            log.info("no %s: the shipped reasons and no roster", path)
            return
        self.pad.on_province_config(hall)

    def gateway_settings(self) -> Any:
        """The profile's settings from the configuration in force and the app_code kept in secrets/."""
        from kiosk.sync.fujian.case_xml import CaseTemplate
        from kiosk.sync.fujian.profile import GatewaySettings

        up = self.config.uplink
        fujian = up.fujian
        return GatewaySettings(
            fujian.gateway,
            fujian.app_key,
            self.app_code,
            template=CaseTemplate.load(self.data_dir / fujian.template if fujian.template else None),
            service_path=fujian.service_path,
            network=fujian.network,
            region_code=fujian.region_code,
            detail_check=fujian.detail_check,
            timeout_s=up.timeout_s,
            transport=self.transport,
        )

    def _start_gateway_uplink(self) -> None:
        """The gateway's worker: no enrolment, no configuration call, no heartbeat, no R6 asks; QR codes
        asked of the gateway; and no case look-up for terminals (the gateway has none)."""
        if not self.config.uplink.fujian.gateway:
            self.pad.set_uplink_state("offline", None)
            return
        from kiosk.sync.events import UplinkEvents
        from kiosk.sync.fujian.profile import gateway_uplink

        settings = self.gateway_settings()
        self.events = UplinkEvents()
        self.gateway_uplink = gateway_uplink(self.ledger, settings, self.events, clock=self.clock)
        self.worker = self.gateway_uplink.worker
        # Without the app's key and code ratings wait, as for a JSON pad not yet enrolled.
        self.pad.set_uplink_state("online" if settings.has_app else "enrolling", None)
        self.events.status_changed.connect(self.pad.on_uplink_status)
        self.events.alert.connect(self.pad.set_alert)
        self.gateway_uplink.qr_events.url_ready.connect(self.pad.learn_qr_url)
        self.pad.rating_recorded.connect(lambda _seq: self.worker.wake() if self.worker else None)
        self.worker.start()

    def _start_screens(self) -> None:
        from kiosk.ui.fonts import register_fonts
        from kiosk.ui.lockdown import Lockdown
        from kiosk.ui.voice import VoicePlayer
        from kiosk.ui.window import PadWindow

        register_fonts()
        pad_config = self.config.pad
        self.voice = VoicePlayer(pad_config.volume, pad_config.mute, pad_config.language)
        self.pad.voice_requested.connect(self.voice.play)
        self.window = PadWindow(self.pad, pad_config.language, pad_config.large_text)
        self.window.language_changed.connect(lambda language: setattr(self.voice, "language", language))
        self.window.technician_requested.connect(self.open_console)
        self.lockdown = Lockdown(self.window)
        if self.headless:
            # Offscreen, but shown: the same screens paint as on a panel.
            self.window.resize(1920, 1080)
            self.window.show()
        elif pad_config.windowed:
            self.window.resize(1280, 800)
            self.window.show()
        else:
            self.lockdown.lock()

    # -- the technician's console --------------------------------------------------------------------

    def open_console(self) -> None:
        """The hidden gesture was made: the console, behind its PIN, over the citizen's screens."""
        from kiosk.ui.technician import TechnicianConsole

        if self.console is None:
            self.console = TechnicianConsole(self.controls, self.pad, self.window)
        self.console.open()

    def build_evaluator(self, config: Config) -> Evaluator:
        """The driver `config.evaluator` describes, not yet started.

        Raises:
            ValueError: a setting only the driver refuses (a key name of the keyboard family).
        """
        from kiosk.devices import create_evaluator

        ev = config.evaluator
        return create_evaluator(ev.protocol, ev.port, ev.baud, ev.address, ev.buttons, ev.keys, self.clock)

    def replace_evaluator(self, evaluator: Evaluator) -> None:
        """The console changed the evaluator's settings: the old driver closes its port, then the new one
        takes over the Pad's presses and opens it."""
        old = self.evaluator
        old.stop()
        self.evaluator = evaluator
        self.pad.use_evaluator(evaluator)
        evaluator.start()
        old.deleteLater()

    def apply_display_settings(self) -> None:
        """Language, large text, volume and mute from `config.pad`, without a restart."""
        pad_config = self.config.pad
        if self.window.languages.current != pad_config.language:
            self.window.set_language(pad_config.language)
        if self.window.large_text != pad_config.large_text:
            self.window.set_large_text(pad_config.large_text)
        self.voice.volume = pad_config.volume
        self.voice.mute = pad_config.mute

    def apply_pad_settings(self) -> None:
        """The Pad's own settings (timeouts, reasons, voice policy) from `config`, without a restart."""
        self.pad.local_settings = pad_settings(self.config, self.headless)

    def regenerate_token(self) -> str:
        """A new bridge token, in force for the next request (the old one is refused from now on)."""
        from kiosk.bridge.token import regenerate_token

        self.token = regenerate_token(self.data_dir)
        return self.token

    def exit_pad(self, restart: bool) -> None:
        """Ends the pad from the console: the window may close, and the event loop ends with EXIT_RESTART
        (the service manager starts the pad again) or 0."""
        self.lockdown.release()
        self.on_exit(EXIT_RESTART if restart else 0)

    def stop(self) -> None:
        """A clean stop: the bridge stops taking requests, the uplink finishes its request, the port
        closes, and the ledger's last write is done. A second call does nothing."""
        if self._stopped:
            return
        self._stopped = True
        if getattr(self, "bridge", None) is not None:
            self.bridge.stop()
        if getattr(self, "worker", None) is not None:
            assert self.worker is not None
            self.worker.stop()
        if getattr(self, "pad", None) is not None:
            self.pad.stop()
        if getattr(self, "evaluator", None) is not None:
            self.evaluator.stop()
        for device in (getattr(self, "card_reader", None), getattr(self, "scanner", None)):
            if device is not None:
                device.stop()
        if getattr(self, "lookup", None) is not None:
            assert self.lookup is not None
            self.lookup.close()
        if self.console is not None:
            self.console.shutdown()
        if getattr(self, "window", None) is not None:
            self.lockdown.release()
            self.window.close()
        if getattr(self, "ledger", None) is not None:
            self.ledger.close()
        self._delete_qt_objects()

    def _delete_qt_objects(self) -> None:
        """Deletes the Qt objects here, on the Qt thread, once nothing else uses them.

        Left to Python's cyclic garbage collector, a wrapper may be collected on another thread (the
        bridge's, the uplink's), and Qt objects must die on the thread they live on.
        """
        import shiboken6

        uplink = getattr(self, "gateway_uplink", None)
        if uplink is not None:
            self.qr_events = uplink.qr_events
        names = ("console", "window", "voice", "gateway", "events", "qr_events", "lookup", "pad", "evaluator")
        for name in (*names, "card_reader", "scanner"):
            obj = getattr(self, name, None)
            if obj is not None and shiboken6.isValid(obj):
                shiboken6.delete(obj)


def load_config(data_dir: Path, config_path: Path | None, overrides: Sequence[str]) -> Config:
    return load(config_path or data_dir / CONFIG_FILE, overrides)


def run_pad(
    data_dir: Path | None, config_path: Path | None, overrides: Sequence[str], *, headless: bool
) -> int:
    """`kiosk run`: exit 0 after a clean stop, 1 when the pad cannot start (or another pad runs on the data
    directory), 2 for a bad configuration, EXIT_RESTART when the console asked for a restart."""
    from kiosk.system.instance import AlreadyRunning, acquire_instance_lock

    data_dir = (data_dir or default_data_dir()).resolve()
    try:
        config = load_config(data_dir, config_path, overrides)
        check_start(config, data_dir)
    except ConfigError as exc:
        print(f"kiosk: config: {exc}", file=sys.stderr)
        return 2
    try:
        instance = acquire_instance_lock(data_dir)
    except AlreadyRunning as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"kiosk: cannot lock {data_dir}: {exc}", file=sys.stderr)
        return 1
    try:
        return _serve(config, data_dir, config_path, headless=headless)
    finally:
        instance.release()


def _serve(config: Config, data_dir: Path, config_path: Path | None, *, headless: bool) -> int:
    """The pad's process around the PadApplication: logging, Qt, systemd's notifications and watchdog,
    the screen kept awake, and SIGTERM; returns the exit status."""
    from kiosk.logs import log_uncaught_exceptions, route_qt_messages, setup_logging
    from kiosk.store.errors import LedgerError

    # A watchdog abort (SIGABRT from systemd) then leaves every thread's stack in the journal.
    faulthandler.enable()
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    setup_logging(data_dir)
    log_uncaught_exceptions()
    route_qt_messages()

    from PySide6.QtWidgets import QApplication

    from kiosk.system.awake import ScreenAwake
    from kiosk.system.posix_signals import SignalWaker
    from kiosk.system.watchdog import SystemdNotifier, WatchdogPinger

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    notifier = SystemdNotifier.from_environment()
    pinger = WatchdogPinger(notifier, parent=app)
    awake = ScreenAwake(QApplication.platformName())
    pad_app = PadApplication(config, data_dir, headless=headless, config_path=config_path)
    waker = SignalWaker(lambda _signum: app.quit())

    def announce(url: str) -> None:
        print(f"kiosk: ready bridge={url} data={data_dir}", flush=True)
        notifier.ready(status=f"ready: bridge {url}")

    try:
        url = pad_app.start(ready=announce)
    except (LedgerError, OSError, RuntimeError) as exc:
        print(f"kiosk: cannot start: {exc}", file=sys.stderr)
        pad_app.stop()
        waker.close()
        return 1
    log.info("ready: bridge %s, data %s, device %s", url, data_dir, pad_app.ledger.device_id)
    pinger.start()
    log.info("screen awake: %s", awake.hold())
    try:
        code = app.exec()
    finally:
        pinger.stop()
        notifier.stopping()
        awake.release()
        pad_app.stop()
        waker.close()
        notifier.close()
    if code == EXIT_RESTART:
        log.info("stopped for a restart (the console's restart)")
    return code


class Controls:
    """The technician's PadControls (kiosk/technician/controls.py) over a running PadApplication: what the
    console and its tools may do, and nothing more.

    Args:
        app: the running pad.
    """

    def __init__(self, app: PadApplication) -> None:
        self._app = app

    @property
    def config(self) -> Config:
        return self._app.config

    @property
    def config_path(self) -> Path:
        return self._app.config_path

    @property
    def data_dir(self) -> Path:
        return self._app.data_dir

    @property
    def ledger(self) -> Ledger:
        return self._app.ledger

    @property
    def bridge_url(self) -> str:
        return self._app.bridge_url

    @property
    def token(self) -> str:
        return self._app.token

    @property
    def has_uplink(self) -> bool:
        return self._app.worker is not None

    def now(self) -> datetime:
        return self._app.clock.now()

    def snapshot(self) -> LivePad:
        from kiosk.technician.live import LivePad, TerminalDevice

        app = self._app
        evaluator = app.evaluator
        devices = tuple(
            TerminalDevice(name, device.protocol, device.port, device.state.value, device.diagnostics)
            for name, device in (("ID card reader", app.card_reader), ("scanner", app.scanner))
            if device is not None
        )
        return LivePad(
            config=app.config,
            config_path=app.config_path,
            data_dir=app.data_dir,
            evaluator=evaluator.view(),
            counters=evaluator.diagnostics,
            buttons=dict(evaluator.buttons),
            uplink=app.pad.uplink if app.worker is not None else None,
            alerts=app.pad.alerts,
            enrolled=app.pad.enrolled,
            ledger=app.ledger,
            terminal_devices=devices,
        )

    def check_evaluator(self, config: Config) -> None:
        self._app.build_evaluator(config).deleteLater()

    def take_config(self, config: Config, keys: tuple[str, ...]) -> tuple[str, ...]:
        from kiosk.technician.settings import DISPLAY_KEYS, PAD_KEYS, READ_WHEN_USED, touches_evaluator

        app = self._app
        app.config = config
        live: list[str] = []
        if touches_evaluator(keys):
            app.replace_evaluator(app.build_evaluator(config))
            live += [k for k in keys if k.startswith("evaluator.")]
        if DISPLAY_KEYS.intersection(keys) and getattr(app, "window", None) is not None:
            app.apply_display_settings()
            live += [k for k in keys if k in DISPLAY_KEYS]
        if PAD_KEYS.intersection(keys):
            app.apply_pad_settings()
            live += [k for k in keys if k in PAD_KEYS]
        if "uplink.enroll_code" in keys and app.worker is not None:
            app.worker.set_enroll_code(config.uplink.enroll_code)
            live.append("uplink.enroll_code")
        live += [k for k in keys if k in READ_WHEN_USED]
        return tuple(live)

    def regenerate_token(self) -> str:
        return self._app.regenerate_token()

    # -- the province's network, and the Fujian gateway profile ------------------------------------------

    @property
    def transport(self) -> Transport:
        return self._app.transport

    @property
    def gateway_profile(self) -> bool:
        return self._app.gateway_profile

    @property
    def app_code_shown(self) -> str:
        from kiosk.store.app_secret import masked

        return masked(self._app.app_code)

    def set_app_code(self, app_code: str) -> None:
        from kiosk.store.app_secret import AppSecret

        AppSecret(self._app.data_dir).write(app_code)
        log.info("console: a new uplink.fujian.app_code kept in secrets/ (in force after a restart)")

    def import_hall(self, source: Path) -> str:
        from kiosk.technician.hall_import import import_hall_file

        app = self._app
        hall = import_hall_file(source, app.data_dir / app.config.uplink.fujian.hall_file, app.reasons)
        app.pad.on_province_config(hall)
        placement = hall.placement
        log.info("console: hall file imported from %s", source)
        return f"{placement.hall_name} {placement.window_no}: {len(placement.staff)} staff, {len(hall.notices)} notices"

    def province_checks(self) -> list[Check]:
        from kiosk.technician.gateway_checks import GatewayApp, gateway_checks
        from kiosk.technician.tls import check_tls, probe_tls

        app = self._app
        config = app.config
        if not app.gateway_profile:
            url = config.uplink.url
            return (
                [check_tls(probe_tls(url, app.transport, config.uplink.timeout_s), url, app.clock.now())]
                if url
                else []
            )
        gateway_app = GatewayApp(config.uplink.fujian.app_key, app.app_code, "secrets/")
        return gateway_checks(config, app.data_dir, gateway_app, kept_offset_s=app.clock.offset_s)

    def play_voice(self, prompt: Prompt) -> None:
        self._app.voice.play(prompt)

    def exit(self, restart: bool) -> None:
        self._app.exit_pad(restart)
