"""Where the pad stands: its hall, its window, and the staff who serve there (uplink `config`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StaffMember:
    staff_id: str
    name: str = ""
    title: str = ""
    photo_png: bytes = b""


@dataclass(frozen=True)
class Placement:
    """The hall and window a pad serves; empty strings until the province has said."""

    hall_code: str = ""
    hall_name: str = ""
    area_code: str = ""
    window_no: str = ""
    dept_code: str = ""
    dept_name: str = ""
    staff: tuple[StaffMember, ...] = field(default_factory=tuple)

    def staff_member(self, staff_id: str) -> StaffMember | None:
        return next((s for s in self.staff if s.staff_id == staff_id), None)

    @property
    def roster(self) -> frozenset[str] | None:
        """The staff ids in force, or None when the province has sent no roster."""
        return frozenset(s.staff_id for s in self.staff) if self.staff else None


@dataclass(frozen=True)
class ProvinceSettings:
    """The settings a province may send (uplink `config.settings`); None where it sent none.

    While present they override the pad's own configuration.
    """

    rate_timeout_s: int | None = None
    default_after_days: int | None = None
    qr_url_template: str | None = None
    heartbeat_s: int | None = None
