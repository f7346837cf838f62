"""The device's configuration from the province (uplink-api.md "Configuration"): asked at start and hourly,
cheaply with If-None-Match; kept in the ledger so that an offline restart keeps the roster."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from kiosk.domain.reasons import ReasonCatalogue
from kiosk.store.ledger import Ledger
from kiosk.sync.client import UplinkClient, UplinkError, UplinkUnreachable
from kiosk.sync.link import ProvinceLink
from kiosk.sync.province_config import parse_config

log = logging.getLogger(__name__)

CONFIG_INTERVAL_S = 3600.0


class ConfigPull:
    """The uplink's configuration duty, on the uplink thread.

    Args:
        ledger: where the last configuration and its ETag are kept.
        client: the uplink client.
        link: the province as the thread knows it.
        english: the shipped reason catalogue, for English texts of the province's.
        heartbeat: the heartbeat's interval now (after a failure the configuration is asked again then).
        set_heartbeat: takes the province's heartbeatS (None: the pad's own interval again).
        interval_s: how often the configuration is asked for.
    """

    def __init__(
        self,
        ledger: Ledger,
        client: UplinkClient,
        link: ProvinceLink,
        english: ReasonCatalogue | None,
        heartbeat: Callable[[], float],
        set_heartbeat: Callable[[float | None], None],
        interval_s: float = CONFIG_INTERVAL_S,
    ) -> None:
        self._ledger = ledger
        self._client = client
        self._link = link
        self._english = english
        self._heartbeat = heartbeat
        self._set_heartbeat = set_heartbeat
        self._interval_s = interval_s
        self._etag = ledger.get_meta("province_config_etag")
        self._at = 0.0

    def run(self, now: float) -> float:
        """Asks for the configuration when due; returns when it is next due."""
        if now < self._at:
            return self._at
        self._at = now + self._interval_s
        try:
            data, etag = self._link.signed(lambda: self._client.config(self._etag))
        except (UplinkError, UplinkUnreachable) as exc:
            # Asked again with the next heartbeat (after a refusal, once the device is let back in).
            self._at = now + self._heartbeat()
            if not self._link.refuse(exc):
                log.warning("uplink: config not fetched: %s", exc)
            return self._at
        self._link.answered()
        if data is None:
            return self._at
        config = parse_config(data, self._english)
        self._ledger.set_meta("province_config", json.dumps(data, ensure_ascii=False))
        if etag:
            self._ledger.set_meta("province_config_etag", etag)
        self._etag = etag
        # The province's heartbeatS wins while it sends one; without it the pad's own interval is back.
        self._set_heartbeat(config.settings.heartbeat_s)
        log.info("uplink: config %s applied", config.version)
        self._link.events.config_received.emit(config)
        return self._at
