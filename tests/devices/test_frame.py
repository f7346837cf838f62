"""FrameEvaluator over real pseudo-terminals: every rule of evaluator-protocol.md §1, bytes and events."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from kiosk.devices import frame_codec
from kiosk.devices.base import DeviceStatus, EvaluatorState
from kiosk.devices.evaluator_simulator import SimulatedEvaluator
from kiosk.devices.frame_codec import Frame, encode_frame
from kiosk.devices.frame_driver import FrameEvaluator
from kiosk.domain.clock import ManualClock
from kiosk.domain.prompts import Prompt
from tests.devices.conftest import T0, Recorder, link_turned
from tests.devices.device_end import DeviceEnd
from tests.helpers.stubs import FakeMonotonic

WAIT_MS = 5000
KEY5 = bytes.fromhex("AA 55 01 08 01 01 05 8B F3")
ACK_KEY5 = bytes.fromhex("AA 55 01 08 80 01 01 DA 18")
KEY1 = bytes.fromhex("AA 55 01 07 01 01 01 89 24")
ACK_KEY1 = encode_frame(1, 7, frame_codec.ACK, b"\x01")

Start = Callable[[FrameEvaluator], Recorder]


def connected(qtbot: QtBot, driver: FrameEvaluator) -> None:
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.CONNECTED, timeout=WAIT_MS)


def test_key_is_acked_with_the_spec_bytes_and_reported(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    driver = FrameEvaluator(device_end.port, clock=clock)
    rec = started(driver)
    connected(qtbot, driver)
    driver.arm(0)
    device_end.wait_frame(frame_codec.ARM)
    device_end.write(KEY5)
    assert device_end.wait_for(ACK_KEY5)
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    press = rec.presses[0]
    assert (press.button, press.level, press.armed, press.address, press.at) == (5, 1, True, 1, T0)
    assert driver.diagnostics.frames_decoded == 1


def test_connect_sends_query_and_status_answer_is_reported(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    monotonic = FakeMonotonic()  # stands still until moved: no retry crosses the ACK
    driver = FrameEvaluator(device_end.port, clock=clock, retry_s=0.3, monotonic=monotonic)
    rec = started(driver)
    query = device_end.wait_frame(frame_codec.QUERY)[0]
    assert query.addr == 1
    assert query.data == b""
    # ACK, then STATUS fw 1.2, armed+voice+LEDs, 5 buttons (the spec's vector).
    device_end.write(encode_frame(1, query.seq, frame_codec.ACK, bytes([frame_codec.QUERY])))
    device_end.write(bytes.fromhex("AA 55 01 00 02 04 01 02 07 05 13 EA"))
    qtbot.waitUntil(lambda: len(rec.statuses) == 1, timeout=WAIT_MS)  # the ACK before it is read too
    assert rec.statuses[0] == DeviceStatus(
        firmware="1.2", armed=True, has_voice=True, has_leds=True, buttons=5
    )
    assert driver.can_speak
    assert driver.firmware == "1.2"
    monotonic.advance(1.0)  # past three retry periods: an answered QUERY is not sent again
    link_turned(driver)
    assert driver.diagnostics.command_retries == 0
    assert len(device_end.wait_frame(frame_codec.QUERY)) == 1
    assert driver.state == EvaluatorState.CONNECTED


def test_status_without_voice_means_the_pad_speaks(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    driver = FrameEvaluator(device_end.port, clock=clock)
    rec = started(driver)
    connected(qtbot, driver)  # bytes sent before the driver opens the port are flushed by the open
    device_end.write(encode_frame(1, 0, frame_codec.STATUS, bytes([1, 0, frame_codec.FLAG_LEDS, 5])))
    qtbot.waitUntil(lambda: len(rec.statuses) == 1, timeout=WAIT_MS)
    assert not driver.can_speak


def test_retransmission_within_2s_is_acked_again_and_not_counted(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    monotonic = FakeMonotonic()
    driver = FrameEvaluator(device_end.port, clock=clock, monotonic=monotonic)
    rec = started(driver)
    connected(qtbot, driver)
    for copy in range(1, 5):  # the first copy and the 3 retransmissions a device may send, 0.5 s apart
        device_end.write(KEY5)
        assert device_end.wait_for(ACK_KEY5, count=copy)
        monotonic.advance(0.5)
    # Each copy was reported, if at all, before its ACK: every report is delivered now.
    QCoreApplication.sendPostedEvents()
    assert driver.diagnostics.retransmissions == 3
    assert len(rec.presses) == 1
    # The next press (new SEQ) counts, even with the same button.
    device_end.write(encode_frame(1, 9, frame_codec.KEY, b"\x05"))
    qtbot.waitUntil(lambda: len(rec.presses) == 2, timeout=WAIT_MS)


def test_same_seq_and_data_after_2s_is_a_new_press(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    monotonic = FakeMonotonic()
    driver = FrameEvaluator(device_end.port, clock=clock, monotonic=monotonic)
    rec = started(driver)
    connected(qtbot, driver)
    device_end.write(KEY5)
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    monotonic.advance(2.1)
    device_end.write(KEY5)
    qtbot.waitUntil(lambda: len(rec.presses) == 2, timeout=WAIT_MS)
    assert device_end.wait_for(ACK_KEY5, count=2)
    assert driver.diagnostics.retransmissions == 0


def test_window_runs_from_the_latest_copy(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    monotonic = FakeMonotonic()
    driver = FrameEvaluator(device_end.port, clock=clock, retransmission_window_s=1.0, monotonic=monotonic)
    rec = started(driver)
    connected(qtbot, driver)
    for copy in range(1, 6):  # the last 1.2 s after the first, each 0.3 s after the one before
        device_end.write(KEY1)
        assert device_end.wait_for(ACK_KEY1, count=copy)
        monotonic.advance(0.3)
    QCoreApplication.sendPostedEvents()
    assert driver.diagnostics.retransmissions == 4
    assert len(rec.presses) == 1


def test_garbage_false_headers_and_a_bad_crc_then_a_frame(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    driver = FrameEvaluator(device_end.port, clock=clock)
    rec = started(driver)
    connected(qtbot, driver)
    bad_crc = KEY1[:-1] + b"\x00"
    device_end.write(b"\x00\xaa\x55\xaa" + bad_crc + b"\xaa\x55\x01" + KEY5)
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    assert rec.presses[0].button == 5
    assert driver.diagnostics.crc_errors >= 1
    assert device_end.wait_for(ACK_KEY5)
    assert ACK_KEY1 not in device_end.received


def test_a_frame_that_stalls_100ms_is_dropped(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    driver = FrameEvaluator(device_end.port, clock=clock)
    rec = started(driver)
    connected(qtbot, driver)
    device_end.write(KEY1[:5])
    qtbot.waitUntil(lambda: driver.diagnostics.stalls == 1, timeout=WAIT_MS)
    device_end.write(KEY1[5:] + KEY5)  # the rest comes too late to make a frame
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    assert rec.presses[0].button == 5
    assert ACK_KEY1 not in device_end.received


def test_len_over_32_is_a_framing_error(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    driver = FrameEvaluator(device_end.port, clock=clock)
    rec = started(driver)
    connected(qtbot, driver)
    device_end.write(bytes.fromhex("AA 55 01 07 01 21") + KEY5)
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    assert driver.diagnostics.framing_errors == 1


def test_frames_from_another_address_are_ignored_and_not_acked(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    driver = FrameEvaluator(device_end.port, clock=clock, address=1)
    rec = started(driver)
    connected(qtbot, driver)
    device_end.write(encode_frame(2, 7, frame_codec.KEY, b"\x01"))
    device_end.write(KEY5)
    assert device_end.wait_for(ACK_KEY5)
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    assert rec.presses[0].address == 1
    assert driver.diagnostics.foreign_address == 1
    assert [f for f in device_end.host_frames() if f.cmd == frame_codec.ACK] == [
        Frame(1, 8, frame_codec.ACK, b"\x01")
    ]


def test_key_while_disarmed_is_acked_and_reported_unarmed(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    driver = FrameEvaluator(device_end.port, clock=clock)
    rec = started(driver)
    connected(qtbot, driver)
    driver.arm(0)
    driver.disarm()
    device_end.wait_frame(frame_codec.DISARM)
    device_end.write(KEY5)
    assert device_end.wait_for(ACK_KEY5)
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    assert rec.presses[0].armed is False
    assert rec.presses[0].level == 1  # the level is still known; the Pad logs it and never rates it
    assert driver.diagnostics.presses_while_disarmed == 1


def test_unmapped_button_has_no_level_and_is_counted(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    driver = FrameEvaluator(device_end.port, clock=clock, buttons={1: 5, 2: 4, 3: 3, 4: 2, 5: 1})
    rec = started(driver)
    connected(qtbot, driver)
    device_end.write(encode_frame(1, 3, frame_codec.KEY, b"\x07"))
    assert device_end.wait_for(encode_frame(1, 3, frame_codec.ACK, b"\x01"))
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    assert (rec.presses[0].button, rec.presses[0].level) == (7, None)
    assert driver.diagnostics.unmapped_buttons == 1


def test_host_commands_carry_the_hosts_own_seq(
    qtbot: QtBot, sims: Callable[..., SimulatedEvaluator], started: Start, clock: ManualClock
) -> None:
    sim = sims("frame")
    driver = FrameEvaluator(sim.port, clock=clock)
    started(driver)
    connected(qtbot, driver)
    driver.arm(60)
    driver.play(Prompt.PLEASE_RATE)
    driver.flash_all()
    driver.disarm()
    assert sim.wait_for("disarmed")
    records = sim.records
    assert [r.text for r in records] == ["queried", "armed", "prompt 2 played", "LEDs flashed", "disarmed"]
    assert [r.seq for r in records] == [0, 1, 2, 3, 4]
    assert records[1].value == 60
    assert records[3].value == 0x1F
    assert driver.led_mask == 0x1F


def test_unanswered_command_is_retried_3_times_200ms_apart_then_unresponsive(
    qtbot: QtBot, sims: Callable[..., SimulatedEvaluator], started: Start, clock: ManualClock
) -> None:
    sim = sims("frame", heartbeat_s=0)
    driver = FrameEvaluator(sim.port, clock=clock)
    rec = started(driver)
    connected(qtbot, driver)
    assert sim.wait_for("queried")
    sim.responsive = False
    driver.arm(0)
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.UNRESPONSIVE, timeout=WAIT_MS)
    arms = [r for r in sim.records if r.name == "ARM"]
    assert len(arms) == 4
    assert len({r.seq for r in arms}) == 1
    assert [r.repeat for r in arms] == [False, True, True, True]
    assert driver.diagnostics.command_retries == 3
    # It keeps going: the next command is sent, and a device that answers is connected again.
    sim.responsive = True
    driver.play(Prompt.THANKS)
    assert sim.wait_for("prompt 3 played")
    sim.send_status()
    qtbot.waitUntil(lambda: rec.states[-1] == "connected", timeout=WAIT_MS)
    assert rec.states == ["connected", "unresponsive", "connected"]


def test_nak_is_counted_and_the_next_command_goes(
    qtbot: QtBot, sims: Callable[..., SimulatedEvaluator], started: Start, clock: ManualClock
) -> None:
    sim = sims("frame")
    driver = FrameEvaluator(sim.port, clock=clock)
    started(driver)
    connected(qtbot, driver)
    assert sim.wait_for("queried")
    sim.refuse_next(frame_codec.NAK_BUSY)
    driver.play(Prompt.WELCOME)
    driver.flash_all()
    assert sim.wait_for("LEDs flashed")
    qtbot.waitUntil(lambda: driver.diagnostics.extra.get("naks") == 1, timeout=WAIT_MS)
    assert [r.text for r in sim.records].count("prompt 1 played") == 1  # refused, not retried
    assert driver.diagnostics.command_retries == 0
    assert driver.state == EvaluatorState.CONNECTED


def test_heartbeat_loss_means_unresponsive_and_any_frame_brings_it_back(
    qtbot: QtBot, sims: Callable[..., SimulatedEvaluator], started: Start, clock: ManualClock
) -> None:
    sim = sims("frame", heartbeat_s=0.1)
    driver = FrameEvaluator(sim.port, clock=clock, heartbeat_timeout_s=1.0)
    rec = started(driver)
    qtbot.waitUntil(lambda: len(rec.statuses) >= 3, timeout=WAIT_MS)
    assert driver.state == EvaluatorState.CONNECTED
    sim.heartbeat_s = 0  # the device falls silent
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.UNRESPONSIVE, timeout=WAIT_MS)
    sim.press(2)
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: driver.state == EvaluatorState.CONNECTED, timeout=WAIT_MS)
    assert rec.states == ["connected", "unresponsive", "connected"]


def test_a_device_that_never_sent_a_heartbeat_is_not_missed(
    qtbot: QtBot, device_end: DeviceEnd, started: Start, clock: ManualClock
) -> None:
    monotonic = FakeMonotonic()
    driver = FrameEvaluator(device_end.port, clock=clock, heartbeat_timeout_s=0.2, monotonic=monotonic)
    rec = started(driver)
    query = device_end.wait_frame(frame_codec.QUERY)[0]
    device_end.write(encode_frame(1, query.seq, frame_codec.ACK, bytes([frame_codec.QUERY])))
    monotonic.advance(1.0)  # five heartbeat timeouts
    link_turned(driver)  # its heartbeat watch has run at that time
    QCoreApplication.sendPostedEvents()
    assert rec.states == ["connected"]


def test_simulator_presses_reach_the_pad_once_each(
    qtbot: QtBot, sims: Callable[..., SimulatedEvaluator], started: Start, clock: ManualClock
) -> None:
    sim = sims("frame")
    driver = FrameEvaluator(sim.port, clock=clock)
    rec = started(driver)
    connected(qtbot, driver)
    driver.arm(0)
    assert sim.wait_for("armed")
    for button in (1, 2, 3, 4, 5):
        sim.press(button)
    assert sim.wait_idle()
    qtbot.waitUntil(lambda: len(rec.presses) == 5, timeout=WAIT_MS)
    assert [(p.button, p.level, p.armed) for p in rec.presses] == [(b, 6 - b, True) for b in (1, 2, 3, 4, 5)]
    assert sim.commands.count("key acked") == 5


def test_simulator_retransmits_an_unacked_key_and_the_driver_counts_it_once(
    qtbot: QtBot, sims: Callable[..., SimulatedEvaluator], started: Start, clock: ManualClock
) -> None:
    sim = sims("frame", heartbeat_s=0)
    # The first copy goes out before the driver has the port open; the retransmissions reach it.
    sim.press(3)
    driver = FrameEvaluator(sim.port, clock=clock)
    rec = started(driver)
    qtbot.waitUntil(lambda: len(rec.presses) == 1, timeout=WAIT_MS)
    assert sim.wait_idle()
    # Another press comes after every copy of the first on the wire: had a copy counted, it would show.
    sim.press(4)
    qtbot.waitUntil(lambda: len(rec.presses) >= 2, timeout=WAIT_MS)
    assert [p.button for p in rec.presses] == [3, 4]
