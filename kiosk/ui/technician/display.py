"""The console's display and sound page: language, large text (适老化), volume and mute, each saved and in
force at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QSlider, QWidget

from kiosk.domain.prompts import Prompt
from kiosk.ui.technician.widgets import Page, add_row, text_label, touch_button

if TYPE_CHECKING:
    from kiosk.ui.technician.host import ConsoleHost

VOLUME_STEP = 10


class DisplayPage(Page):
    def __init__(self, console: ConsoleHost) -> None:
        super().__init__()
        self.console = console
        self.chinese = touch_button("中文", checkable=True)
        self.english = touch_button("English", checkable=True)
        self.chinese.clicked.connect(lambda: self.set_language("zh_CN"))
        self.english.clicked.connect(lambda: self.set_language("en_US"))
        self.large = touch_button(checkable=True)
        self.large.clicked.connect(lambda checked: self.console.apply({"pad.large_text": bool(checked)}))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setPageStep(VOLUME_STEP)
        self.slider.sliderReleased.connect(lambda: self.set_volume(self.slider.value()))
        self.quieter = touch_button("−")
        self.louder = touch_button("+")
        self.quieter.clicked.connect(lambda: self.set_volume(self.slider.value() - VOLUME_STEP))
        self.louder.clicked.connect(lambda: self.set_volume(self.slider.value() + VOLUME_STEP))
        self.volume_value = text_label()
        self.mute = touch_button(checkable=True)
        self.mute.clicked.connect(lambda checked: self.console.apply({"pad.mute": bool(checked)}))
        self.listen = touch_button()
        self.listen.clicked.connect(lambda: self.console.controls.play_voice(Prompt.WELCOME))
        form = QFormLayout()
        self.names = [
            add_row(form, _row(self.chinese, self.english)),
            add_row(form, self.large),
            add_row(form, _row(self.quieter, self.slider, self.louder, self.volume_value)),
            add_row(form, _row(self.mute, self.listen)),
        ]
        self.body.addLayout(form)

    def set_language(self, language: str) -> None:
        if language != self.console.controls.config.pad.language:
            self.console.apply({"pad.language": language})
        self.refresh()

    def set_volume(self, volume: int) -> None:
        volume = max(0, min(100, volume))
        if volume != self.console.controls.config.pad.volume:
            self.console.apply({"pad.volume": volume})
        self.refresh()

    def refresh(self) -> None:
        pad = self.console.controls.config.pad
        self.chinese.setChecked(pad.language == "zh_CN")
        self.english.setChecked(pad.language == "en_US")
        self.large.setChecked(pad.large_text)
        self.large.setText(self.tr("已开启") if pad.large_text else self.tr("已关闭"))
        if not self.slider.isSliderDown():
            self.slider.setValue(pad.volume)
        self.volume_value.setText(str(pad.volume))
        self.mute.setChecked(pad.mute)
        self.mute.setText(self.tr("已静音") if pad.mute else self.tr("未静音"))

    def retranslate(self) -> None:
        self.title.setText(self.tr("显示与声音"))
        texts = (self.tr("语言"), self.tr("大字模式（适老化）"), self.tr("音量"), self.tr("静音"))
        for label, text in zip(self.names, texts, strict=True):
            label.setText(text)
        self.listen.setText(self.tr("试听"))
        self.refresh()

    def refonts(self) -> None:
        self.slider.setMinimumHeight(self.theme.touch(80))
        for button in (self.quieter, self.louder):
            button.setMinimumWidth(self.theme.touch(90))
        groove, handle = self.theme.px(16), self.theme.touch(60)
        self.slider.setStyleSheet(
            f"QSlider::groove:horizontal {{ height: {groove}px; background: #cbd5e0;"
            f" border-radius: {groove // 2}px; }}"
            f"QSlider::sub-page:horizontal {{ background: #1f4e9c; border-radius: {groove // 2}px; }}"
            f"QSlider::handle:horizontal {{ width: {handle}px; height: {handle}px;"
            f" margin: -{(handle - groove) // 2}px 0; background: #1f4e9c; border-radius: {handle // 2}px; }}"
        )


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QSlider) else 0)
    return holder
