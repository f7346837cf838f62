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
    "好评率 {0:.1f}%": "Good ratings: {0:.1f}%",
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
    "注册码被拒绝：评价保存在本机，请技术人员输入新的注册码": (
        "The enrolment code was refused: ratings are kept here; a technician must enter a new code"
    ),
    "省级平台确认的评价少于本机记录：请联系技术人员": (
        "The provincial service holds fewer ratings than this pad: call a technician"
    ),
    "设备需要技术人员检查": "This device needs a technician",
    "技术人员控制台": "Technician console",
    "返回评价界面": "Back to the rating screen",
    "取消": "Cancel",
    "删除": "Erase",
    "确定": "OK",
    "首次使用：设置技术人员 PIN": "First use: set the technician PIN",
    "修改技术人员 PIN": "Change the technician PIN",
    "请输入 PIN": "Enter the PIN",
    "请再次输入同一 PIN": "Enter the same PIN again",
    "请输入新的 PIN（4 至 12 位数字）": "Enter a new PIN (4 to 12 digits)",
    "PIN 须为 4 至 12 位数字": "The PIN must be 4 to 12 digits",
    "两次输入的 PIN 不一致，请重新设置": "The two PINs differ; please start again",
    "PIN 错误，还可尝试 {0} 次": "Wrong PIN: {0} tries left",
    "PIN 已修改": "PIN changed",
    "连续输错 5 次，已锁定。请 {0} 分 {1} 秒后再试": "Locked after 5 wrong PINs. Try again in {0} min {1} s",
    "已解锁，请输入 PIN": "Unlocked: enter the PIN",
    "未保存：{0}": "Not saved: {0}",
    "未保存：无法写入 {0}（{1}）": "Not saved: cannot write {0} ({1})",
    "已保存；{0} 在重启后生效": "Saved; {0} takes effect after a restart",
    "已保存并生效": "Saved and in effect",
    "没有改动": "Nothing changed",
    "设备注册": "Enrolment",
    "注册状态": "Enrolment",
    "设备编号": "Device ID",
    "省平台": "Province",
    "已注册": "Enrolled",
    "注册码被拒绝（已使用或不属于本窗口）：请输入新的注册码": "The enrolment code was refused (used, or for another window): enter a new one",
    "未注册：未设置省平台地址": "Not enrolled: no province address is set",
    "未注册：等待注册码": "Not enrolled: waiting for an enrolment code",
    "未设置（离线）": "Not set (offline)",
    "省平台为本窗口签发的注册码（如 K7Q2-9XDM）": "The enrolment code the province issued for this window (e.g. K7Q2-9XDM)",
    "提交注册码": "Submit the code",
    "请输入注册码": "Enter the enrolment code",
    "注册码已保存；尚未设置省平台地址（uplink.url），设置地址并重启后才会注册": "Code saved; no province address (uplink.url) is set: the pad enrols once it is set and restarted",
    "注册码已提交，正在向省平台注册……": "Code submitted: enrolling with the province…",
    "评价器": "Evaluator",
    "已插入的串口": "Serial ports plugged in",
    "未找到串口：请插好评价器的 USB 线": "No serial port found: plug in the evaluator's USB cable",
    "重新扫描": "Scan again",
    "使用 hwid 名称": "Use its hwid name",
    "使用设备路径": "Use its device path",
    "请先在列表中选择一个串口": "Choose a port in the list first",
    "该串口没有 USB 标识，请使用设备路径": "This port has no USB identity: use its device path",
    "hwid 名称在评价器换插 USB 口后仍能找到它": "The hwid name finds the evaluator on any USB socket",
    "设备路径可能在重新插拔后改变": "A device path may change when the evaluator is plugged in again",
    "设置": "Settings",
    "协议": "Protocol",
    "端口": "Port",
    "波特率": "Baud rate",
    "地址": "Address",
    "保存并应用": "Save and apply",
    "按键测试": "Button test",
    "按评价器上的按键：每次按键显示按键号和对应等级，不会算作评价": "Press the evaluator's buttons: each press shows its button and level; none counts as a rating",
    "{0}  按键 {1} → {2}": "{0}  button {1} → {2}",
    "未映射": "not mapped",
    "按键映射": "Button map",
    "按键 {0}": "Button {0}",
    "不使用": "Not used",
    "保存按键映射": "Save the button map",
    "五个等级齐全": "All five levels are mapped",
    "按键映射只有 {0} 个等级，少于五级：评价器不能给出全部五个评价等级": "The button map gives only {0} levels, fewer than five: the evaluator cannot give every level",
    "已连接": "connected",
    "未连接": "not connected",
    "无响应": "not responding",
    "未配置评价器": "no evaluator configured",
    "{0}，端口 {1}：{2}": "{0} on {1}: {2}",
    "，固件 {0}": ", firmware {0}",
    "诊断计数": "Diagnostic counters",
    "已解码帧": "Frames decoded",
    "校验错误": "CRC errors",
    "帧长错误": "Framing errors",
    "帧中断": "Stalled frames",
    "重发的按键": "Retransmitted presses",
    "未映射的按键": "Unmapped buttons",
    "未激活时的按键": "Presses while disarmed",
    "其他地址的帧": "Frames from other addresses",
    "丢弃的行": "Dropped lines",
    "命令重试": "Command retries",
    "重新连接": "Reconnects",
    "未设置省平台地址": "No province address is set",
    "正在连接省平台……": "Contacting the province…",
    "在线：省平台可达": "Online: the province is reachable",
    "无法连接省平台，正在重试": "The province cannot be reached: retrying",
    "等待注册": "Waiting for enrolment",
    "已暂停：省平台拒绝了本设备": "Stopped: the province refuses this device",
    "离线：未设置省平台地址": "Offline: no province address is set",
    "未设置": "Not set",
    "从未": "Never",
    "{0:+.1f} 秒": "{0:+.1f} s",
    "未知": "Unknown",
    "尚未报告": "Not reported yet",
    "状态": "State",
    "最近应答": "Last answer",
    "时钟偏差（省平台减本机）": "Clock offset (province minus pad)",
    "待发送": "Waiting to be sent",
    "死信（被拒绝的评价）": "Dead letters (rejected ratings)",
    "省平台确认到（acceptedSeq）": "The province holds up to (acceptedSeq)",
    "本机已获应答到": "Answered up to, on this pad",
    "本机最新序号": "Last seq on this pad",
    "立即检查连接": "Check the connection now",
    "死信：省平台拒绝的评价，保留在本机，不再发送": "Dead letters: ratings the province rejected, kept here and never sent again",
    "序号": "Seq",
    "评价编号": "Evaluation ID",
    "原因代码": "Code",
    "字段": "Field",
    "说明": "Message",
    "省平台地址（uplink.url，重启后生效）": "Province address (uplink.url; after a restart)",
    "保存地址": "Save the address",
    "柜台对接": "Counter bridge",
    "柜台业务系统调用的地址": "The address the case system calls",
    "令牌（Authorization: Bearer）": "Token (Authorization: Bearer)",
    "令牌只在此处完整显示；柜台业务系统每次请求都须带上它": "The token is shown in full only here; the case system sends it with every request",
    "生成新令牌": "Make a new token",
    "确认生成新令牌？旧令牌将立即失效": "Make a new token? The old one stops working at once",
    "已生成新令牌：请把它填入柜台业务系统，旧令牌已失效": "New token made: enter it in the case system; the old one no longer works",
    "人员名单": "Staff roster",
    "省平台尚未下发本窗口的信息": "The province has not yet sent this window's details",
    "名单来自省平台，共 {0} 人": "Roster from the province: {0} people",
    "省平台尚未下发人员名单": "The province has not yet sent a staff roster",
    "当前登录": "Signed in",
    "工号": "Staff no.",
    "姓名": "Name",
    "职务": "Title",
    "显示与声音": "Display and sound",
    "语言": "Language",
    "大字模式（适老化）": "Large text",
    "已开启": "On",
    "已关闭": "Off",
    "音量": "Volume",
    "静音": "Mute",
    "已静音": "Muted",
    "未静音": "Not muted",
    "试听": "Play a prompt",
    "诊断": "Diagnostics",
    "运行诊断": "Run the checks",
    "正在检查……": "Checking…",
    "与 kiosk doctor 相同的检查，每行：检查了什么：发现了什么 — 该做什么": "The checks of kiosk doctor, one a line: what was checked: what was found — what to do",
    "导出诊断包（配置不含密钥、日志、计数、诊断报告；不含个人信息）": "Export a diagnostics bundle (configuration without secrets, logs, counters, the report; nothing personal)",
    "其他文件夹……": "Another folder…",
    "选择导出文件夹": "Choose a folder for the bundle",
    "导出到所选文件夹": "Export to the chosen folder",
    "正在导出……": "Exporting…",
    "已导出：{0}": "Exported: {0}",
    "失败：{0}": "Failed: {0}",
    "系统": "System",
    "版本": "Version",
    "数据目录": "Data directory",
    "修改 PIN": "Change the PIN",
    "重启评价程序": "Restart the pad",
    "确认重启？": "Restart now?",
    "退出评价程序": "Exit the pad",
    "确认退出？": "Exit now?",
    "由系统服务运行时，退出后约 3 秒会自动重新启动；要让它保持停止，请在系统中执行 systemctl stop kiosk": "Run as a system service, the pad starts again about 3 s after it exits; to keep it stopped, run systemctl stop kiosk",
    "返回": "Back",
    "{0} 的办件": "{0}'s cases",
    "您的办件": "Your cases",
    "请选择要评价的办件": "Choose the case you want to rate",
    "这些办件都不能再评价了": "None of these cases can be rated any more",
    "办件 {0}": "Case {0}",
    "可以评价": "Can be rated",
    "已评价，不能再次评价": "Already rated; it cannot be rated again",
    "已超过 7 天评价期限": "The 7 days for rating have passed",
    "输入办件编号": "Type the case number",
    "请将身份证放在读卡区，或扫描办件回执": "Place your ID card on the reader, or scan your case receipt",
    "本终端暂不能查询办件，请到办理窗口评价": "This terminal cannot look cases up; please rate at the window that served you",
    "请输入办事人手机号或身份证号的后四位": "Type the last four digits of the applicant's mobile or ID number",
    "请输入受理回执上的办件编号": "Type the case number from your receipt",
    "办件编号：{0}": "Case number: {0}",
    "身份证阅读器未连接：请扫描办件回执或输入办件编号，并联系工作人员": "The ID card reader is not connected: scan your receipt or type the case number, and tell a staff member",
    "扫码器未连接：请放置身份证或输入办件编号，并联系工作人员": "The scanner is not connected: place your ID card or type the case number, and tell a staff member",
    "正在查询您的办件": "Looking up your cases",
    "请稍候，不要移开身份证": "Please wait; leave your ID card in place",
    "身份证已超过有效期，无法查询。请扫描办件回执，或输入办件编号": "This ID card has expired and cannot be used. Scan your receipt or type the case number",
    "身份证号码无法核验，请重新放置身份证": "The ID number could not be verified; please place the card again",
    "未能读取身份证，请重新放置身份证": "The card could not be read; please place it again",
    "请放置居民身份证": "Please place a resident ID card",
    "读卡器暂不可用，请扫描办件回执，或输入办件编号": "The card reader is not available; scan your receipt or type the case number",
    "扫码器暂不可用，请放置身份证，或输入办件编号": "The scanner is not available; place your ID card or type the case number",
    "暂时无法查询，请稍后再试": "Cases cannot be looked up just now; please try again later",
    "查询次数过多，请一分钟后再试": "Too many look-ups; please try again in a minute",
    "这不是办件编号，请扫描受理回执上的条码，或输入办件编号": "That is not a case number; scan the barcode on your receipt or type the case number",
    "没有找到近 30 天内的办件。请核对办件编号和手机号或身份证号后四位": "No case of the last 30 days was found. Check the case number and the last four digits",
    # The console's gateway page (the Fujian gateway profile).
    "福建网关": "Fujian gateway",
    "网关地址": "Gateway address",
    "应用标识（app_key）": "App key (app_key)",
    "应用密钥（app_code）": "App code (app_code)",
    "大厅资料（hall.json）": "Hall data (hall.json)",
    "检查网关": "Check the gateway",
    "省里签发的应用标识和密钥（重启后生效）": "The app key and code the province issued (in force after a restart)",
    "应用标识": "App key",
    "应用密钥（输入后不再显示）": "App code (never shown once entered)",
    "保存": "Save",
    "从U盘导入大厅资料": "Import the hall data from a USB stick",
    "查找U盘上的 hall.json": "Find hall.json on USB sticks",
    "导入所选文件": "Import the chosen file",
    "无法保存应用密钥：{0}": "The app code could not be saved: {0}",
    "已保存，重启后生效": "Saved; in force after a restart",
    "U盘上没有找到 hall.json": "No hall.json on the USB sticks",
    "请先选择一个 hall.json": "Choose a hall.json first",
    "未导入：{0}": "Not imported: {0}",
    "已导入并生效：{0}": "Imported and in force: {0}",
    "无（使用内置评价原因，无人员名单）": "None (the shipped reasons, no staff roster)",
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
