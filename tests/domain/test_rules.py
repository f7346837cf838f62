"""Levels, reasons, masking, session transitions, and the R6/R11 arithmetic."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from kiosk.domain.levels import LEVELS, CountsAs, from_gbt39046, level
from kiosk.domain.masking import mask_cert_no, mask_mobile, mask_name
from kiosk.domain.picker import ReasonPicker
from kiosk.domain.reasons import ReasonCatalogue
from kiosk.domain.rules import WindowResults, completed_days, default_window_end
from kiosk.domain.sessions import SessionState, TransitionError, check_transition
from kiosk.domain.timefmt import format_time
from kiosk.resources import shipped_reasons

CST = timezone(timedelta(hours=8))


def test_levels_follow_rules_md() -> None:
    assert [LEVELS[s].zh for s in (5, 4, 3, 2, 1)] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert LEVELS[4].counts_as is CountsAs.GOOD and LEVELS[3].counts_as is CountsAs.NEUTRAL
    assert LEVELS[2].needs_reason_on_screen and not LEVELS[3].needs_reason_on_screen
    # GB/T 39046 numbers the other way round; conversion is explicit.
    assert level(5).gbt39046_code == 1 and from_gbt39046(1).satisfaction == 5
    with pytest.raises(ValueError):
        level(0)


def test_shipped_catalogue_offers_the_current_set_only() -> None:
    catalogue = shipped_reasons()
    assert [r.code for r in catalogue.offered(5)] == [str(c) for c in range(510, 518)]
    assert catalogue.offered(5)[0].text == "一窗受理一次办结"
    assert catalogue.offered(1)[-1].text == "服务态度差效率低"
    assert all(r.en for level_ in range(1, 6) for r in catalogue.offered(level_))
    assert catalogue.reasons["501"].retired
    assert catalogue.check(5, ["510", "517"]) is None
    assert catalogue.check(5, ["207"]) == "reason code 207 belongs to level 2, not 5"
    assert "retired" in (catalogue.check(5, ["501"]) or "")
    assert "unknown" in (catalogue.check(5, ["599"]) or "")


def test_province_catalogue_keeps_english_and_retires_what_it_drops() -> None:
    shipped = shipped_reasons()
    province = ReasonCatalogue.from_json(
        {"version": "p1", "levels": {"5": [{"code": "510", "text": "一窗受理一次办结"}]}}, shipped
    )
    assert province.reasons["510"].en == shipped.reasons["510"].en
    assert [r.code for r in province.offered(5)] == ["510"]
    assert province.reasons["517"].retired
    with pytest.raises(ValueError):
        ReasonCatalogue.from_json({"levels": {"5": [{"code": "410", "text": "x"}]}})


def test_masking_matches_rules_md() -> None:
    assert mask_name("陈小明") == "陈*明"
    assert mask_name("陈明") == "陈*"
    assert mask_name("欧阳晓明") == "欧**明"
    assert mask_cert_no("350102199001011238") == "3501**********1238"
    assert mask_mobile("13800138000") == "138****8000"
    assert mask_cert_no("E1234567") == "E1******" or mask_cert_no("E1234567").count("*") >= 4
    assert mask_cert_no("123") == "***"


def test_session_transitions() -> None:
    check_transition(SessionState.AWAITING, SessionState.RATED)
    check_transition(SessionState.TIMED_OUT, SessionState.DEFAULTED)
    check_transition(SessionState.TIMED_OUT, SessionState.CANCELLED)
    for end in (SessionState.RATED, SessionState.CANCELLED, SessionState.DEFAULTED):
        with pytest.raises(TransitionError):
            check_transition(end, SessionState.AWAITING)
    with pytest.raises(TransitionError):
        check_transition(SessionState.AWAITING, SessionState.DEFAULTED)


def test_default_window_ends_seven_natural_days_after_finish() -> None:
    end = default_window_end("2026-11-27T09:30:40+08:00", 7)
    assert format_time(end) == "2026-12-04T09:30:40+08:00"


def test_results_need_twenty_ratings_and_completed_days() -> None:
    now = datetime(2026, 11, 27, 15, 0, tzinfo=CST)
    start, end = completed_days(now, 30)
    assert end == datetime(2026, 11, 27, 0, 0, tzinfo=CST)
    assert start == datetime(2026, 10, 28, 0, 0, tzinfo=CST)
    few = WindowResults(date(2026, 10, 28), date(2026, 11, 26), {5: 19})
    assert not few.shown
    enough = WindowResults(date(2026, 10, 28), date(2026, 11, 26), {5: 15, 4: 3, 2: 2})
    assert enough.shown and enough.good_rate == pytest.approx(0.9)


def test_picker_requires_a_reason_for_bad_levels() -> None:
    now = datetime(2026, 11, 27, 9, 31, tzinfo=CST)
    picker = ReasonPicker("s", 2, "5", now, now + timedelta(seconds=20))
    assert picker.reason_required and not picker.can_submit
    chosen = picker.toggled("207")
    assert chosen.can_submit and chosen.codes == ("207",)
    assert chosen.toggled("207").codes == ()
    assert ReasonPicker("s", 4, "4", now, now).can_submit
