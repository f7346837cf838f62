"""The uplink's own thread: it runs the uplink's duties (enrolment, configuration, heartbeat, R6 asks, the
sender) when each is due, and sleeps until the next one is, or until a new record wakes it.

One thread and one keep-alive HTTP session. It reads the queue from the ledger and writes the province's
answers back through the ledger's one connection; it reaches the Pad only through the queued signals of
UplinkEvents. Its own state stays on it: other threads talk to it through thread-safe calls (wake, stop,
ask_project, set_enroll_code), which queue work for it.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol

from kiosk.domain.clock import Clock, SystemClock
from kiosk.domain.reasons import ReasonCatalogue
from kiosk.store.errors import LedgerError
from kiosk.store.ledger import Ledger
from kiosk.sync.asks import ProjectAsks
from kiosk.sync.backoff import Backoff
from kiosk.sync.client import UplinkClient
from kiosk.sync.clock_keeper import ClockKeeper
from kiosk.sync.config_pull import CONFIG_INTERVAL_S, ConfigPull
from kiosk.sync.enrolment import Enrolment
from kiosk.sync.events import UplinkEvents
from kiosk.sync.heartbeat import Heartbeat
from kiosk.sync.json_delivery import JsonDelivery
from kiosk.sync.link import ProvinceLink
from kiosk.sync.sender import Sender

log = logging.getLogger(__name__)


class Duty(Protocol):
    """One thing the uplink does on its thread."""

    def run(self, now: float) -> float:
        """Does what is due at `now` (monotonic seconds); returns when it is next due (now or earlier: at
        once; math.inf: only when woken)."""
        ...


class UplinkWorker:
    """Delivers every record to the province exactly once, at once when online, eventually after any
    outage, and keeps the device's standing with the province (enrolment, configuration, heartbeat).

    Built for our uplink contract (uplink-api.md) from its arguments; `UplinkWorker.with_duties` runs the
    duties of another province's profile.

    Args:
        ledger: the ledger (thread-safe; this thread reads the queue and records outcomes through it).
        client: the uplink client; used only on this thread.
        events: the queued signals to the Pad.
        enroll_code: `uplink.enroll_code`, used while the device has no secret.
        heartbeat_s: the pad's heartbeat interval; the province's heartbeatS wins while it sends one.
        english: the shipped reason catalogue, for English texts of the province's.
        evaluator_status: returns the evaluator's protocol, port, state and firmware (a copy: thread-safe).
        clock: the pad's clock, for the times it reports.
        monotonic: the time source for scheduling.
        backoff: the retry schedule; the spec's by default.
        config_interval_s: how often the configuration is asked for (If-None-Match makes it cheap).
    """

    def __init__(  # noqa: PLR0913 - keyword-only: what the JSON uplink's duties are made from
        self,
        ledger: Ledger,
        client: UplinkClient,
        events: UplinkEvents,
        *,
        enroll_code: str = "",
        heartbeat_s: float = 60,
        english: ReasonCatalogue | None = None,
        evaluator_status: Callable[[], dict[str, Any]] = dict,
        clock: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        backoff: Backoff | None = None,
        config_interval_s: float = CONFIG_INTERVAL_S,
    ) -> None:
        link = ProvinceLink(
            events,
            clock or SystemClock(),
            lambda: client.clock.offset_s,
            client.learn_server_time,
            monotonic,
            backoff or Backoff(),
        )
        asks = ProjectAsks(ledger, client, link)
        heartbeat = Heartbeat(
            ledger, client, link, asks, evaluator_status, clock or SystemClock(), heartbeat_s
        )
        config = ConfigPull(
            ledger,
            client,
            link,
            english,
            lambda: heartbeat.interval_s,
            heartbeat.use_interval,
            config_interval_s,
        )
        self._heartbeat = heartbeat
        self._setup(
            ledger,
            link,
            [config, heartbeat, asks, Sender(ledger, link, JsonDelivery(client))],
            enrolment=Enrolment(ledger, client, link, enroll_code),
            asks=asks,
            clock_keeper=ClockKeeper(ledger, client.clock, link),
            close=client.close,
            timeout_s=client.timeout_s,
        )

    @classmethod
    def with_duties(
        cls,
        ledger: Ledger,
        link: ProvinceLink,
        duties: Sequence[Duty],
        *,
        clock_keeper: ClockKeeper | None,
        close: Callable[[], None],
        timeout_s: float,
    ) -> UplinkWorker:
        """A worker that runs other duties (another province's profile): no enrolment, no R6 asks."""
        worker = cls.__new__(cls)
        worker._setup(
            ledger,
            link,
            duties,
            enrolment=None,
            asks=None,
            clock_keeper=clock_keeper,
            close=close,
            timeout_s=timeout_s,
        )
        return worker

    def _setup(
        self,
        ledger: Ledger,
        link: ProvinceLink,
        duties: Sequence[Duty],
        *,
        enrolment: Enrolment | None,
        asks: ProjectAsks | None,
        clock_keeper: ClockKeeper | None,
        close: Callable[[], None],
        timeout_s: float,
    ) -> None:
        self.ledger = ledger
        self.link = link
        self._duties = list(duties)
        self._enrolment = enrolment
        self._asks = asks
        self._clock_keeper = clock_keeper
        self._close = close
        self._timeout_s = timeout_s
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._commands: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()

    @property
    def heartbeat_s(self) -> float:
        """The heartbeat interval in force (the province's heartbeatS, else the pad's own)."""
        return self._heartbeat.interval_s

    # -- control (any thread) -------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="uplink", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """A new record is stored: send it at once (unless the sender is waiting out a failure)."""
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        """Stops after the request under way; returns at once when none is.

        Args:
            timeout: how long to wait for the thread; by default the client's request timeout and a
                little more, so that the answer to the request under way is still written to the ledger
                before the app closes it.
        """
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(self._timeout_s + 2.0 if timeout is None else timeout)
            if self._thread.is_alive():
                log.warning("uplink: the thread did not stop in time; its request is abandoned")
        self._close()

    def ask_project(self, project_no: str) -> None:
        """R6, just before a default: asks the province about one 办件 at once (the Pad's `final_check`).

        The answer comes as `project_answered`; when the province cannot be asked nothing comes, and the
        Pad records the default after its own wait.
        """
        if self._asks is not None:
            self._asks.ask(project_no)
            self._wake.set()

    def set_enroll_code(self, code: str) -> None:
        """A technician entered a new enrolment code: try it at once (any thread)."""
        if self._enrolment is not None:
            self._commands.put(partial(self._enrolment.take_code, code))
            self._wake.set()

    # -- the loop (the uplink thread) -----------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            while not self._commands.empty():
                self._commands.get()()
            try:
                wait = self._step()
            except LedgerError as exc:
                # The ledger could not record an outcome (disk full): nothing is lost, the records stay
                # pending and are sent again (the province answers duplicate).
                log.error("uplink: ledger unavailable: %s", exc)
                wait = self.link.backoff.failed()
            except Exception:
                log.exception("uplink: unexpected failure; retrying")
                wait = self.link.backoff.failed()
            if self._clock_keeper is not None:
                self._clock_keeper.keep()
            self.link.publish()
            if wait > 0:
                # A wake() between _step's look at the queue and here leaves the event set: no record
                # waits for the timeout.
                self._wake.wait(min(wait, 3600.0))
                self._wake.clear()

    def _step(self) -> float:
        """Does what is due now; returns how long to sleep (0: go on at once)."""
        link = self.link
        now = link.monotonic()
        if self._enrolment is not None and self.ledger.device_secret() is None:
            return self._enrolment.run(now)
        next_due = math.inf
        for duty in self._duties:
            if link.blocked(now):
                break
            next_due = min(next_due, duty.run(now))
            now = link.monotonic()
        if link.blocked(now):
            return link.blocked_until - now
        return max(0.0, next_due - link.monotonic())
