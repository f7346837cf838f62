"""The voice prompts (EVP/1 PLAY, and the pad's own voice when the evaluator has none): what the pad says,
whoever says it."""

from __future__ import annotations

import enum


class Prompt(enum.IntEnum):
    """The voice prompts of EVP/1 PLAY (and the pad's own voice)."""

    WELCOME = 1  # 您好，欢迎光临
    PLEASE_RATE = 2  # 请您对我的服务做出评价
    THANKS = 3  # 谢谢您的评价
    PAUSED = 4  # 暂停服务，请到其他窗口办理
