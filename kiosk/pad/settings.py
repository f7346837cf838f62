"""The Pad's settings: its own (kiosk.toml), and those in force, where the province's override some."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiosk.domain.hall import ProvinceSettings


@dataclass(frozen=True)
class PadSettings:
    """The pad's own settings (from kiosk.toml); the province's override some while present."""

    role: str = "counter"
    rate_timeout_s: float = 60
    reason_timeout_s: float = 20
    reasons_after_press: bool = True
    default_after_days: int = 7
    qr_url_template: str = ""
    voice: str = "auto"
    has_screen: bool = True
    thanks_s: float = 3
    qr_linger_s: float = 30
    records_defaults: bool = True
    """Whether the pad records R6's defaults; not where the province applies the 7-day rule itself (the
    Fujian gateway), so that two defaults cannot meet."""


def in_force(own: PadSettings, province: ProvinceSettings) -> PadSettings:
    """The settings in force: the province's where it sent them (uplink `config.settings`), else the pad's."""
    return replace(
        own,
        rate_timeout_s=province.rate_timeout_s or own.rate_timeout_s,
        default_after_days=province.default_after_days or own.default_after_days,
        qr_url_template=(
            province.qr_url_template if province.qr_url_template is not None else own.qr_url_template
        ),
    )
