"""Keeps the screens' translation in step: `python scripts/translations.py`.

Runs pyside6-lupdate over kiosk/ui (new source texts are added, existing translations kept), fills in the
English of any text listed in ENGLISH below that the .ts file does not translate yet, and compiles the .qm
with pyside6-lrelease. The .ts file is the translation's source of truth (Qt Linguist can edit it).
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "assets" / "i18n" / "kiosk_en_US.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent

ENGLISH = {
    "办理完成后，可在窗口评价或扫描二维码评价": "When your business is done, rate us here or by scanning the QR code",
    "{0} 号窗口": "Window {0}",
    "工作人员": "Staff member",
    "工号：{0}": "Staff no. {0}",
    "本窗口近 {0} 日评价（{1} 至 {2}）": "This window's ratings over {0} days ({1} to {2})",
    "好评率 {0:.1f}%": "Satisfied: {0:.1f}%",
    "暂停服务": "Service paused",
    "请到其他窗口办理": "Please go to another window",
    "也可用手机扫码评价": "Or scan to rate on your phone",
    "请您对本次自助服务做出评价": "Please rate this self-service",
    "请您对我的服务做出评价": "Please rate my service",
    "办理事项：{0}": "Service: {0}",
    "办事人：{0}": "Applicant: {0}",
    "{0} 秒后自动返回": "Returning in {0} s",
    "用手机扫码评价": "Scan to rate on your phone",
    "7 天内有效（至 {0}）": "Valid for 7 days (until {0})",
    "7 天内有效": "Valid for 7 days",
    "提交评价": "Submit",
    "请选择您不满意的原因": "Please tell us what went wrong",
    "至少选择一项后提交": "Choose at least one reason, then submit",
    "您可以选择评价的原因": "You may tell us why",
    "选填，可直接提交": "Optional: you can submit right away",
    "{0} 秒后自动提交": "Submitting in {0} s",
    "谢谢您的评价": "Thank you for your rating",
    "您的评价已记录，并报送政务服务“好差评”系统": "Your rating is recorded and goes to the government service rating system",
    "存储不可用（磁盘已满或只读）：暂停接收新的评价，已存的评价不会丢失": (
        "Storage unavailable (disk full or read-only): no new ratings for now; stored ones are safe"
    ),
    "评价器未连接：请检查线缆，仍可在屏幕上评价": "Evaluator not connected: check its cable; rating on the screen still works",
    "评价器无响应：请检查评价器电源，仍可在屏幕上评价": (
        "Evaluator not responding: check its power; rating on the screen still works"
    ),
    "省级平台拒绝了本设备：评价保存在本机，请联系技术人员": (
        "The provincial service refused this device: ratings are kept here; call a technician"
    ),
    "省级平台确认的评价少于本机记录：请联系技术人员": (
        "The provincial service holds fewer ratings than this pad: call a technician"
    ),
    "设备需要技术人员检查": "This device needs a technician",
}


def main() -> int:
    sources = sorted(str(p) for p in (ROOT / "kiosk" / "ui").rglob("*.py"))
    subprocess.run(
        [BIN / "pyside6-lupdate", *sources, "-ts", str(TS), "-target-language", "en_US", "-no-obsolete"],
        check=True,
    )
    tree = ET.parse(TS)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if translation.get("type") == "unfinished" or not (translation.text or "").strip():
            if source in ENGLISH:
                translation.text = ENGLISH[source]
                translation.attrib.pop("type", None)
            else:
                missing.append(source)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([BIN / "pyside6-lrelease", str(TS), "-qm", str(QM)], check=True)
    if missing:
        print(f"translations: {len(missing)} text(s) without English: {missing}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
