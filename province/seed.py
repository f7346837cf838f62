"""The demo hall every new sandbox database starts with, so that a pad can enrol with nothing to configure.

Made-up but well-formed: the department codes carry valid GB 32100 check characters, and the staff are not
real people.
"""

from __future__ import annotations

import sqlite3
import struct
import zlib

DEMO_HALL = "350102-ZWFW"
DEMO_WINDOW = "A07"

_HALL = (DEMO_HALL, "鼓楼区政务服务中心", "350102")
_DEPARTMENTS = (
    ("11350102003622411H", "鼓楼区市场监督管理局"),
    ("113501027415631273", "鼓楼区人力资源和社会保障局"),
    ("11350102MB1E6809XH", "鼓楼区行政服务中心管理委员会"),
    ("11350102003592661M", "鼓楼区不动产登记中心"),
)
_WINDOWS = (
    ("A07", "11350102003622411H"),
    ("A08", "11350102003622411H"),
    ("B03", "113501027415631273"),
    ("C01", "11350102MB1E6809XH"),
    ("D12", "11350102003592661M"),
)
_STAFF = (
    ("S1024", "林晓", "综合窗口受理员"),
    ("S1025", "黄诗涵", "综合窗口受理员"),
    ("S1031", "郑国栋", "首席事务代表"),
    ("S2007", "吴雅婷", "社保业务专员"),
    ("S3012", "陈立新", "帮办代办员"),
    ("S4005", "许静", "不动产登记受理员"),
)
_ROSTERS = {
    "A07": ("S1024", "S1025", "S1031"),
    "A08": ("S1025", "S1031"),
    "B03": ("S2007",),
    "C01": ("S3012", "S1024"),
    "D12": ("S4005",),
}
# Made-up public notices (政务公开) for the demo hall's idle screens: one with an image, one without.
_NOTICES = (
    (
        "N-2026-001",
        "办事大厅服务时间",
        "周一至周五 8:30-12:00、14:00-17:30；周六上午 9:00-12:00 提供预约办理。节假日安排以公告为准。",
        (21, 101, 192),
        "2026-01-01",
        "2030-12-31",
    ),
    (
        "N-2026-002",
        "自助服务终端已开通好差评",
        "办完事项后，请在自助服务终端放置身份证或扫描受理回执上的条码，对我们的服务做出评价。",
        None,
        "2026-01-01",
        "2030-12-31",
    ),
)
# One member has a photo and the others none, so that both shapes of `config.staff` are served.
_PHOTO_COLOURS = {"S1024": (46, 125, 50)}


def solid_png(size: int, rgb: tuple[int, int, int]) -> bytes:
    """A small square PNG of one colour, written by hand so the sandbox needs no imaging library.

    Args:
        size: width and height in pixels.
        rgb: the colour.
    """

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    scanline = b"\x00" + bytes(rgb) * size  # filter type 0, then the pixels
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(scanline * size))
        + chunk(b"IEND", b"")
    )


def seed_demo_hall(conn: sqlite3.Connection) -> None:
    """Inserts the demo hall, its departments, windows and staff rosters.

    Args:
        conn: a connection inside the transaction that created the schema.
    """
    conn.execute("INSERT INTO halls (code, name, area_code) VALUES (?, ?, ?)", _HALL)
    conn.executemany("INSERT INTO departments (code, name) VALUES (?, ?)", _DEPARTMENTS)
    conn.executemany(
        "INSERT INTO windows (hall_code, window_no, dept_code) VALUES (?, ?, ?)",
        [(DEMO_HALL, window_no, dept_code) for window_no, dept_code in _WINDOWS],
    )
    for staff_id, name, title in _STAFF:
        colour = _PHOTO_COLOURS.get(staff_id)
        photo = solid_png(32, colour) if colour else None
        conn.execute(
            "INSERT INTO staff (staff_id, name, title, photo_png) VALUES (?, ?, ?, ?)",
            (staff_id, name, title, photo),
        )
    for window_no, roster in _ROSTERS.items():
        conn.executemany(
            "INSERT INTO window_staff (hall_code, window_no, staff_id, position) VALUES (?, ?, ?, ?)",
            [(DEMO_HALL, window_no, staff_id, position) for position, staff_id in enumerate(roster)],
        )


def seed_demo_notices(conn: sqlite3.Connection) -> None:
    """Inserts the demo hall's two made-up notices.

    Args:
        conn: a connection inside the migration's transaction.
    """
    for position, (notice_id, title, body, colour, from_date, until_date) in enumerate(_NOTICES):
        conn.execute(
            "INSERT INTO notices (hall_code, notice_id, position, title, body, image_png, from_date, until_date)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                DEMO_HALL,
                notice_id,
                position,
                title,
                body,
                solid_png(48, colour) if colour else None,
                from_date,
                until_date,
            ),
        )
