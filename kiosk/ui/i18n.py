"""The screens' languages: zh_CN in the source, en_US from Qt translation files (assets/i18n)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QTranslator

from kiosk.resources import asset

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en_US")


class Languages:
    """Installs the translation for a language; widgets retranslate on the LanguageChange event."""

    def __init__(self) -> None:
        self._translator: QTranslator | None = None
        self.current = "zh_CN"

    def switch(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        app = QCoreApplication.instance()
        assert app is not None
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        if language != "zh_CN":
            translator = QTranslator()
            path = asset("i18n", f"kiosk_{language}.qm")
            if translator.load(str(path)):
                app.installTranslator(translator)
                self._translator = translator
            else:
                log.error("translation %s not found; the screens stay in Chinese", path)
        self.current = language
