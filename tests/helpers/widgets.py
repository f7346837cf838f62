"""Inspecting what a screen shows: visible texts, clipped widgets, touch targets."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def visible(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if w.isVisible() and w.window() is root.window()]


def texts(root: QWidget) -> list[str]:
    """Every text a person can read on the visible widgets under root."""
    found = []
    for widget in visible(root):
        if isinstance(widget, QLabel | QAbstractButton) and widget.text():
            found.append(widget.text())
    return found


def clipped(root: QWidget) -> list[str]:
    """Visible labels and buttons whose content needs more room than they have."""
    problems = []
    for widget in visible(root):
        if not isinstance(widget, QLabel | QAbstractButton) or not widget.text():
            continue
        size = widget.size()
        name = f"{type(widget).__name__} {widget.text()[:30]!r}"
        if widget.hasHeightForWidth():
            need_height = widget.heightForWidth(size.width())
            need_width = widget.minimumSizeHint().width()
        else:
            need_height = widget.sizeHint().height()
            need_width = widget.sizeHint().width()
        if need_width > size.width() + 1:
            problems.append(f"{name}: needs {need_width} px wide, has {size.width()}")
        if need_height > size.height() + 1:
            problems.append(f"{name}: needs {need_height} px high, has {size.height()}")
        # A widget whose own rectangle lies partly outside its screen is clipped too (unless it is in a
        # list that scrolls).
        if _in_scroll_area(widget):
            continue
        top_left = widget.mapTo(root, widget.rect().topLeft())
        if top_left.y() + size.height() > root.height() + 1 or top_left.x() + size.width() > root.width() + 1:
            problems.append(f"{name}: runs off the screen")
    return problems


def _in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False
