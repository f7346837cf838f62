"""The Fujian gateway profile's uplink (province-fujian.md): the same worker, queue, backoff, dead letters
and alerts as the JSON uplink, running this profile's duties.

What the JSON uplink does and this one does not: enrolment (the technician enters the app's key and code),
the configuration call (hall data comes from DIR/hall.json), heartbeats, and rule R6's questions (the
province applies the 7-day rule itself). What it does: deliver every record through the gateway, ask the
gateway for each session's QR code, and keep the offset to the gateway's time that its Date headers tell
(rules.md R13), so that the token call's timestamp is the gateway's time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.clock import ProvinceClock
from kiosk.store.ledger import Ledger
from kiosk.sync.backoff import Backoff
from kiosk.sync.clock_keeper import ClockKeeper
from kiosk.sync.events import UplinkEvents
from kiosk.sync.fujian.case_xml import CaseFormat, CaseTemplate
from kiosk.sync.fujian.delivery import GatewayDelivery
from kiosk.sync.fujian.gateway import DEFAULT_SERVICE_PATH, GatewayClient
from kiosk.sync.fujian.qr_asks import QrAsks, QrEvents
from kiosk.sync.link import ProvinceLink
from kiosk.sync.sender import Sender
from kiosk.sync.transport import Transport
from kiosk.sync.worker import Duty, UplinkWorker


@dataclass(frozen=True)
class GatewaySettings:
    """What the profile is made from (`[uplink.fujian]`, with the app's code from DIR/secrets/).

    Attributes:
        gateway: the gateway's base URL.
        app_key: the app's key.
        app_code: the app's secret.
        template: the checked Case template.
        service_path: the web services' path under the gateway.
        network: `<type>` in the Case.
        region_code: `<regionCode>`; "" for each record's areaCode.
        detail_check: ask getEvaluationDetail before sending again after an unknown outcome.
        timeout_s: per request.
        transport: the CA, client certificate and proxy.
    """

    gateway: str
    app_key: str
    app_code: str = field(repr=False)  # the app's secret: never in a log line
    template: CaseTemplate = field(default_factory=CaseTemplate.default)
    service_path: str = DEFAULT_SERVICE_PATH
    network: str = "3"
    region_code: str = ""
    detail_check: bool = True
    timeout_s: float = 10.0
    transport: Transport = field(default_factory=Transport)

    @property
    def has_app(self) -> bool:
        """Whether the technician has entered the app's key and code: without them nothing is sent."""
        return bool(self.app_key and self.app_code)

    def client(self, clock: ProvinceClock | None = None) -> GatewayClient:
        return GatewayClient(
            self.gateway,
            self.service_path,
            self.app_key,
            self.app_code,
            timeout_s=self.timeout_s,
            clock=clock,
            transport=self.transport,
        )


@dataclass
class GatewayUplink:
    """The profile's running parts.

    Attributes:
        worker: the uplink worker (start, wake, stop as for the JSON uplink).
        qr_events: the QR codes' queued signals to the Pad.
    """

    worker: UplinkWorker
    qr_events: QrEvents
    _qr: QrAsks | None

    def ask_qr(self, session_id: str, case: dict[str, Any], finish_time: str) -> None:
        """A session opened: asks the gateway for its QR code (any thread); the URL comes as
        `qr_events.url_ready`. Without the app's key and code no ask is made."""
        if self._qr is not None:
            self._qr.ask(session_id, case, finish_time)
            self.worker.wake()


def gateway_uplink(
    ledger: Ledger,
    settings: GatewaySettings,
    events: UplinkEvents,
    *,
    clock: ProvinceClock,
    monotonic: Callable[[], float] = time.monotonic,
    backoff: Backoff | None = None,
) -> GatewayUplink:
    """The worker of the gateway profile, not yet started.

    Args:
        ledger: the queue.
        settings: the profile's settings.
        events: the uplink's queued signals to the Pad (status, alerts, sent).
        clock: the pad's clock corrected to the province's time; the gateway's Date headers teach it.
        monotonic: the time source for scheduling.
        backoff: the retry schedule; the spec's by default.
    """

    def learn_server_time(server_time: float) -> None:
        clock.learn(server_time, exact=True)

    link = ProvinceLink(
        events, clock, lambda: clock.offset_s, learn_server_time, monotonic, backoff or Backoff()
    )
    qr_events = QrEvents()
    if not settings.has_app:
        # Ratings wait in the queue until a technician enters the app's key and code (and restarts).
        worker = UplinkWorker.with_duties(
            ledger, link, [], clock_keeper=None, close=lambda: None, timeout_s=settings.timeout_s
        )
        return GatewayUplink(worker, qr_events, None)
    client = settings.client(clock)
    cases = CaseFormat(settings.template, settings.network, settings.region_code)
    delivery = GatewayDelivery(client, cases, detail_check=settings.detail_check)
    qr = QrAsks(client, cases, qr_events, link, monotonic)
    duties: list[Duty] = [qr, Sender(ledger, link, delivery)]

    def close() -> None:
        delivery.close()
        client.close()

    worker = UplinkWorker.with_duties(
        ledger,
        link,
        duties,
        clock_keeper=ClockKeeper(ledger, clock, link),
        close=close,
        timeout_s=settings.timeout_s,
    )
    return GatewayUplink(worker, qr_events, qr)
