"""What a self-service terminal tells the citizen, in the screen's language: one sentence per message code
(kiosk/domain/terminal.py), each saying what to do."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.domain.terminal import TerminalMessage


def message_text(code: str) -> str:
    """The citizen's sentence for a message code ("" for none)."""
    texts = {
        TerminalMessage.CARD_EXPIRED: QCoreApplication.translate(
            "TerminalTexts", "身份证已超过有效期，无法查询。请扫描办件回执，或输入办件编号"
        ),
        TerminalMessage.BAD_CHECK_DIGIT: QCoreApplication.translate(
            "TerminalTexts", "身份证号码无法核验，请重新放置身份证"
        ),
        TerminalMessage.CARD_UNREADABLE: QCoreApplication.translate(
            "TerminalTexts", "未能读取身份证，请重新放置身份证"
        ),
        TerminalMessage.NOT_AN_ID_CARD: QCoreApplication.translate("TerminalTexts", "请放置居民身份证"),
        TerminalMessage.READER_FAULT: QCoreApplication.translate(
            "TerminalTexts", "读卡器暂不可用，请扫描办件回执，或输入办件编号"
        ),
        TerminalMessage.READER_UNPLUGGED: QCoreApplication.translate(
            "TerminalTexts", "读卡器暂不可用，请扫描办件回执，或输入办件编号"
        ),
        TerminalMessage.SCANNER_UNPLUGGED: QCoreApplication.translate(
            "TerminalTexts", "扫码器暂不可用，请放置身份证，或输入办件编号"
        ),
        TerminalMessage.PROVINCE_UNREACHABLE: QCoreApplication.translate(
            "TerminalTexts", "暂时无法查询，请稍后再试"
        ),
        TerminalMessage.TOO_MANY_LOOKUPS: QCoreApplication.translate(
            "TerminalTexts", "查询次数过多，请一分钟后再试"
        ),
        TerminalMessage.NOT_A_CASE_NUMBER: QCoreApplication.translate(
            "TerminalTexts", "这不是办件编号，请扫描受理回执上的条码，或输入办件编号"
        ),
        TerminalMessage.NO_CASES: QCoreApplication.translate(
            "TerminalTexts", "没有找到近 30 天内的办件。请核对办件编号和手机号或身份证号后四位"
        ),
        TerminalMessage.LOOKUP_UNAVAILABLE: QCoreApplication.translate(
            "TerminalTexts", "本终端暂不能查询办件，请到办理窗口评价"
        ),
    }
    try:
        return texts[TerminalMessage(code)]
    except ValueError:
        return ""
