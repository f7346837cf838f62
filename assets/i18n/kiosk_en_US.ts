<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>BridgePage</name>
    <message>
        <location filename="../../kiosk/ui/technician/bridge_token.py" line="62" />
        <source>已生成新令牌：请把它填入柜台业务系统，旧令牌已失效</source>
        <translation>New token made: enter it in the case system; the old one no longer works</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/bridge_token.py" line="84" />
        <source>柜台对接</source>
        <translation>Counter bridge</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/bridge_token.py" line="85" />
        <source>柜台业务系统调用的地址</source>
        <translation>The address the case system calls</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/bridge_token.py" line="86" />
        <source>令牌（Authorization: Bearer）</source>
        <translation>Token (Authorization: Bearer)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/bridge_token.py" line="87" />
        <source>令牌只在此处完整显示；柜台业务系统每次请求都须带上它</source>
        <translation>The token is shown in full only here; the case system sends it with every request</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/bridge_token.py" line="89" />
        <source>确认生成新令牌？旧令牌将立即失效</source>
        <translation>Make a new token? The old one stops working at once</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/bridge_token.py" line="89" />
        <source>生成新令牌</source>
        <translation>Make a new token</translation>
    </message>
</context>
<context>
    <name>CasesScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/cases.py" line="63" />
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/cases.py" line="70" />
        <source>{0} 的办件</source>
        <translation>{0}'s cases</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/cases.py" line="72" />
        <source>您的办件</source>
        <translation>Your cases</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/cases.py" line="74" />
        <source>请选择要评价的办件</source>
        <translation>Choose the case you want to rate</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/cases.py" line="74" />
        <source>这些办件都不能再评价了</source>
        <translation>None of these cases can be rated any more</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/cases.py" line="98" />
        <source>办件 {0}</source>
        <translation>Case {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/cases.py" line="101" />
        <source>可以评价</source>
        <translation>Can be rated</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/cases.py" line="102" />
        <source>已评价，不能再次评价</source>
        <translation>Already rated; it cannot be rated again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/cases.py" line="103" />
        <source>已超过 7 天评价期限</source>
        <translation>The 7 days for rating have passed</translation>
    </message>
</context>
<context>
    <name>DiagnosticsPage</name>
    <message>
        <location filename="../../kiosk/ui/technician/diagnostics.py" line="61" />
        <source>正在检查……</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/diagnostics.py" line="78" />
        <source>失败：{0}</source>
        <translation>Failed: {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/diagnostics.py" line="94" />
        <source>选择导出文件夹</source>
        <translation>Choose a folder for the bundle</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/diagnostics.py" line="128" />
        <source>正在导出……</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/diagnostics.py" line="136" />
        <source>已导出：{0}</source>
        <translation>Exported: {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/diagnostics.py" line="142" />
        <source>诊断</source>
        <translation>Diagnostics</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/diagnostics.py" line="143" />
        <source>运行诊断</source>
        <translation>Run the checks</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/diagnostics.py" line="145" />
        <source>与 kiosk doctor 相同的检查，每行：检查了什么：发现了什么 — 该做什么</source>
        <translation>The checks of kiosk doctor, one a line: what was checked: what was found — what to do</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/diagnostics.py" line="147" />
        <source>导出诊断包（配置不含密钥、日志、计数、诊断报告；不含个人信息）</source>
        <translation>Export a diagnostics bundle (configuration without secrets, logs, counters, the report; nothing personal)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/diagnostics.py" line="148" />
        <source>其他文件夹……</source>
        <translation>Another folder…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/diagnostics.py" line="149" />
        <source>导出到所选文件夹</source>
        <translation>Export to the chosen folder</translation>
    </message>
</context>
<context>
    <name>DisplayPage</name>
    <message>
        <location filename="../../kiosk/ui/technician/display.py" line="68" />
        <source>已开启</source>
        <translation>On</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/display.py" line="68" />
        <source>已关闭</source>
        <translation>Off</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/display.py" line="73" />
        <source>已静音</source>
        <translation>Muted</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/display.py" line="73" />
        <source>未静音</source>
        <translation>Not muted</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/display.py" line="76" />
        <source>显示与声音</source>
        <translation>Display and sound</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/display.py" line="77" />
        <source>语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/display.py" line="77" />
        <source>大字模式（适老化）</source>
        <translation>Large text</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/display.py" line="77" />
        <source>音量</source>
        <translation>Volume</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/display.py" line="77" />
        <source>静音</source>
        <translation>Mute</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/display.py" line="80" />
        <source>试听</source>
        <translation>Play a prompt</translation>
    </message>
</context>
<context>
    <name>EnrolmentPage</name>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="51" />
        <source>请输入注册码</source>
        <translation>Enter the enrolment code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="59" />
        <source>注册码已保存；尚未设置省平台地址（uplink.url），设置地址并重启后才会注册</source>
        <translation>Code saved; no province address (uplink.url) is set: the pad enrols once it is set and restarted</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="63" />
        <source>注册码已提交，正在向省平台注册……</source>
        <translation>Code submitted: enrolling with the province…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="68" />
        <source>设备注册</source>
        <translation>Enrolment</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="70" />
        <source>注册状态</source>
        <translation>Enrolment</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="70" />
        <source>设备编号</source>
        <translation>Device ID</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="70" />
        <source>省平台</source>
        <translation>Province</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="73" />
        <source>省平台为本窗口签发的注册码（如 K7Q2-9XDM）</source>
        <translation>The enrolment code the province issued for this window (e.g. K7Q2-9XDM)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="74" />
        <source>提交注册码</source>
        <translation>Submit the code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="82" />
        <source>已注册</source>
        <translation>Enrolled</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="85" />
        <source>注册码被拒绝（已使用或不属于本窗口）：请输入新的注册码</source>
        <translation>The enrolment code was refused (used, or for another window): enter a new one</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="88" />
        <source>未注册：未设置省平台地址</source>
        <translation>Not enrolled: no province address is set</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="91" />
        <source>未注册：等待注册码</source>
        <translation>Not enrolled: waiting for an enrolment code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/enrolment.py" line="94" />
        <source>未设置（离线）</source>
        <translation>Not set (offline)</translation>
    </message>
</context>
<context>
    <name>EvaluatorPage</name>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="124" />
        <source>未找到串口：请插好评价器的 USB 线</source>
        <translation>No serial port found: plug in the evaluator's USB cable</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="130" />
        <source>请先在列表中选择一个串口</source>
        <translation>Choose a port in the list first</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="135" />
        <source>该串口没有 USB 标识，请使用设备路径</source>
        <translation>This port has no USB identity: use its device path</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="140" />
        <source>hwid 名称在评价器换插 USB 口后仍能找到它</source>
        <translation>The hwid name finds the evaluator on any USB socket</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="142" />
        <source>设备路径可能在重新插拔后改变</source>
        <translation>A device path may change when the evaluator is plugged in again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="156" />
        <source>没有改动</source>
        <translation>Nothing changed</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="187" />
        <source>未映射</source>
        <translation>not mapped</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="189" />
        <source>{0}  按键 {1} → {2}</source>
        <translation>{0}  button {1} → {2}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="216" />
        <source>已连接</source>
        <translation>connected</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="217" />
        <source>未连接</source>
        <translation>not connected</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="218" />
        <source>无响应</source>
        <translation>not responding</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="219" />
        <source>未配置评价器</source>
        <translation>no evaluator configured</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="222" />
        <source>{0}，端口 {1}：{2}</source>
        <translation>{0} on {1}: {2}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="224" />
        <source>，固件 {0}</source>
        <translation>, firmware {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="236" />
        <source>五个等级齐全</source>
        <translation>All five levels are mapped</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="240" />
        <source>按键映射只有 {0} 个等级，少于五级：评价器不能给出全部五个评价等级</source>
        <translation>The button map gives only {0} levels, fewer than five: the evaluator cannot give every level</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="259" />
        <source>按键 {0}</source>
        <translation>Button {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="261" />
        <source>不使用</source>
        <translation>Not used</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="267" />
        <source>评价器</source>
        <translation>Evaluator</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="268" />
        <source>已插入的串口</source>
        <translation>Serial ports plugged in</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="269" />
        <source>重新扫描</source>
        <translation>Scan again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="270" />
        <source>使用 hwid 名称</source>
        <translation>Use its hwid name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="271" />
        <source>使用设备路径</source>
        <translation>Use its device path</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="272" />
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="273" />
        <source>协议</source>
        <translation>Protocol</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="273" />
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="273" />
        <source>波特率</source>
        <translation>Baud rate</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="273" />
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="276" />
        <source>保存并应用</source>
        <translation>Save and apply</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="277" />
        <source>按键测试</source>
        <translation>Button test</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="278" />
        <source>按评价器上的按键：每次按键显示按键号和对应等级，不会算作评价</source>
        <translation>Press the evaluator's buttons: each press shows its button and level; none counts as a rating</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="279" />
        <source>按键映射</source>
        <translation>Button map</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="280" />
        <source>保存按键映射</source>
        <translation>Save the button map</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="281" />
        <source>诊断计数</source>
        <translation>Diagnostic counters</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="283" />
        <source>已解码帧</source>
        <translation>Frames decoded</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="284" />
        <source>校验错误</source>
        <translation>CRC errors</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="285" />
        <source>帧长错误</source>
        <translation>Framing errors</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="286" />
        <source>帧中断</source>
        <translation>Stalled frames</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="287" />
        <source>重发的按键</source>
        <translation>Retransmitted presses</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="288" />
        <source>未映射的按键</source>
        <translation>Unmapped buttons</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="289" />
        <source>未激活时的按键</source>
        <translation>Presses while disarmed</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="290" />
        <source>其他地址的帧</source>
        <translation>Frames from other addresses</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="291" />
        <source>丢弃的行</source>
        <translation>Dropped lines</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="292" />
        <source>命令重试</source>
        <translation>Command retries</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/evaluator.py" line="293" />
        <source>重新连接</source>
        <translation>Reconnects</translation>
    </message>
</context>
<context>
    <name>GatewayPage</name>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="76" />
        <source>没有改动</source>
        <translation>Nothing changed</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="85" />
        <source>无法保存应用密钥：{0}</source>
        <translation>The app code could not be saved: {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="88" />
        <source>已保存，重启后生效</source>
        <translation>Saved; in force after a restart</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="103" />
        <source>U盘上没有找到 hall.json</source>
        <translation>No hall.json on the USB sticks</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="108" />
        <source>请先选择一个 hall.json</source>
        <translation>Choose a hall.json first</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="116" />
        <location filename="../../kiosk/ui/technician/gateway.py" line="119" />
        <source>未导入：{0}</source>
        <translation>Not imported: {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="121" />
        <source>已导入并生效：{0}</source>
        <translation>Imported and in force: {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="132" />
        <source>正在检查……</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="164" />
        <source>未设置（离线）</source>
        <translation>Not set (offline)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="165" />
        <location filename="../../kiosk/ui/technician/gateway.py" line="167" />
        <source>未设置</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="172" />
        <source>无（使用内置评价原因，无人员名单）</source>
        <translation>None (the shipped reasons, no staff roster)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="176" />
        <source>福建网关</source>
        <translation>Fujian gateway</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="178" />
        <source>网关地址</source>
        <translation>Gateway address</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="179" />
        <source>应用标识（app_key）</source>
        <translation>App key (app_key)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="180" />
        <source>应用密钥（app_code）</source>
        <translation>App code (app_code)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="181" />
        <source>大厅资料（hall.json）</source>
        <translation>Hall data (hall.json)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="185" />
        <source>检查网关</source>
        <translation>Check the gateway</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="186" />
        <source>省里签发的应用标识和密钥（重启后生效）</source>
        <translation>The app key and code the province issued (in force after a restart)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="187" />
        <source>应用标识</source>
        <translation>App key</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="188" />
        <source>应用密钥（输入后不再显示）</source>
        <translation>App code (never shown once entered)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="189" />
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="190" />
        <source>从U盘导入大厅资料</source>
        <translation>Import the hall data from a USB stick</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="191" />
        <source>查找U盘上的 hall.json</source>
        <translation>Find hall.json on USB sticks</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/gateway.py" line="192" />
        <source>导入所选文件</source>
        <translation>Import the chosen file</translation>
    </message>
</context>
<context>
    <name>IdleScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="175" />
        <source>办理完成后，可在窗口评价或扫描二维码评价</source>
        <translation>When your business is done, rate us here or by scanning the QR code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="176" />
        <source>输入办件编号</source>
        <translation>Type the case number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="187" />
        <source>{0} 号窗口</source>
        <translation>Window {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="197" />
        <source>工作人员</source>
        <translation>Staff member</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="199" />
        <source>工号：{0}</source>
        <translation>Staff no. {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="206" />
        <source>本窗口近 {0} 日评价（{1} 至 {2}）</source>
        <translation>This window's ratings over {0} days ({1} to {2})</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="215" />
        <source>好评率 {0:.1f}%</source>
        <translation>Good ratings: {0:.1f}%</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="226" />
        <source>请将身份证放在读卡区，或扫描办件回执</source>
        <translation>Place your ID card on the reader, or scan your case receipt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="228" />
        <source>本终端暂不能查询办件，请到办理窗口评价</source>
        <translation>This terminal cannot look cases up; please rate at the window that served you</translation>
    </message>
</context>
<context>
    <name>KeyPad</name>
    <message>
        <location filename="../../kiosk/ui/technician/widgets.py" line="206" />
        <source>删除</source>
        <translation>Erase</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/widgets.py" line="206" />
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>KeypadScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/keypad.py" line="71" />
        <source>删除</source>
        <translation>Erase</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keypad.py" line="72" />
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keypad.py" line="73" />
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keypad.py" line="86" />
        <source>请输入办事人手机号或身份证号的后四位</source>
        <translation>Type the last four digits of the applicant's mobile or ID number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keypad.py" line="89" />
        <source>请输入受理回执上的办件编号</source>
        <translation>Type the case number from your receipt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keypad.py" line="95" />
        <source>办件编号：{0}</source>
        <translation>Case number: {0}</translation>
    </message>
</context>
<context>
    <name>PadWindow</name>
    <message>
        <location filename="../../kiosk/ui/window.py" line="156" />
        <source>存储不可用（磁盘已满或只读）：暂停接收新的评价，已存的评价不会丢失</source>
        <translation>Storage unavailable (disk full or read-only): no new ratings for now; stored ones are safe</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="158" />
        <source>评价器未连接：请检查线缆，仍可在屏幕上评价</source>
        <translation>Evaluator not connected: check its cable; rating on the screen still works</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="159" />
        <source>评价器无响应：请检查评价器电源，仍可在屏幕上评价</source>
        <translation>Evaluator not responding: check its power; rating on the screen still works</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="160" />
        <source>省级平台拒绝了本设备：评价保存在本机，请联系技术人员</source>
        <translation>The provincial service refused this device: ratings are kept here; call a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="161" />
        <source>注册码被拒绝：评价保存在本机，请技术人员输入新的注册码</source>
        <translation>The enrolment code was refused: ratings are kept here; a technician must enter a new code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="162" />
        <source>省级平台确认的评价少于本机记录：请联系技术人员</source>
        <translation>The provincial service holds fewer ratings than this pad: call a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="164" />
        <source>身份证阅读器未连接：请扫描办件回执或输入办件编号，并联系工作人员</source>
        <translation>The ID card reader is not connected: scan your receipt or type the case number, and tell a staff member</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="166" />
        <source>扫码器未连接：请放置身份证或输入办件编号，并联系工作人员</source>
        <translation>The scanner is not connected: place your ID card or type the case number, and tell a staff member</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="168" />
        <source>设备需要技术人员检查</source>
        <translation>This device needs a technician</translation>
    </message>
</context>
<context>
    <name>PausedScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/paused.py" line="32" />
        <source>暂停服务</source>
        <translation>Service paused</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/paused.py" line="33" />
        <source>请到其他窗口办理</source>
        <translation>Please go to another window</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/paused.py" line="39" />
        <source>{0} 号窗口</source>
        <translation>Window {0}</translation>
    </message>
</context>
<context>
    <name>PinScreen</name>
    <message>
        <location filename="../../kiosk/ui/technician/pin.py" line="118" />
        <source>PIN 须为 4 至 12 位数字</source>
        <translation>The PIN must be 4 to 12 digits</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/pin.py" line="128" />
        <source>两次输入的 PIN 不一致，请重新设置</source>
        <translation>The two PINs differ; please start again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/pin.py" line="137" />
        <source>技术人员控制台</source>
        <translation>Technician console</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/pin.py" line="138" />
        <source>首次使用：设置技术人员 PIN</source>
        <translation>First use: set the technician PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/pin.py" line="139" />
        <source>修改技术人员 PIN</source>
        <translation>Change the technician PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/pin.py" line="143" />
        <source>请输入 PIN</source>
        <translation>Enter the PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/pin.py" line="145" />
        <source>请再次输入同一 PIN</source>
        <translation>Enter the same PIN again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/pin.py" line="147" />
        <source>请输入新的 PIN（4 至 12 位数字）</source>
        <translation>Enter a new PIN (4 to 12 digits)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/pin.py" line="149" />
        <source>返回评价界面</source>
        <translation>Back to the rating screen</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/pin.py" line="149" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PromptScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/prompt.py" line="71" />
        <source>也可用手机扫码评价</source>
        <translation>Or scan to rate on your phone</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/prompt.py" line="78" />
        <source>请您对本次自助服务做出评价</source>
        <translation>Please rate this self-service</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/prompt.py" line="80" />
        <source>请您对我的服务做出评价</source>
        <translation>Please rate my service</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/prompt.py" line="81" />
        <source>办理事项：{0}</source>
        <translation>Service: {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/prompt.py" line="83" />
        <source>办事人：{0}</source>
        <translation>Applicant: {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/prompt.py" line="92" />
        <source>{0} 秒后自动返回</source>
        <translation>Returning in {0} s</translation>
    </message>
</context>
<context>
    <name>QrScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/qr.py" line="35" />
        <source>用手机扫码评价</source>
        <translation>Scan to rate on your phone</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/qr.py" line="42" />
        <source>办理事项：{0}</source>
        <translation>Service: {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/qr.py" line="45" />
        <source>7 天内有效（至 {0}）</source>
        <translation>Valid for 7 days (until {0})</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/qr.py" line="47" />
        <source>7 天内有效</source>
        <translation>Valid for 7 days</translation>
    </message>
</context>
<context>
    <name>ReadingScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/reading.py" line="32" />
        <source>正在查询您的办件</source>
        <translation>Looking up your cases</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/reading.py" line="33" />
        <source>请稍候，不要移开身份证</source>
        <translation>Please wait; leave your ID card in place</translation>
    </message>
</context>
<context>
    <name>ReasonsScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/reasons.py" line="81" />
        <source>提交评价</source>
        <translation>Submit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/reasons.py" line="92" />
        <source>请选择您不满意的原因</source>
        <translation>Please tell us what went wrong</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/reasons.py" line="93" />
        <source>至少选择一项后提交</source>
        <translation>Choose at least one reason, then submit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/reasons.py" line="95" />
        <source>您可以选择评价的原因</source>
        <translation>You may tell us why</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/reasons.py" line="96" />
        <source>选填，可直接提交</source>
        <translation>Optional: you can submit right away</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/reasons.py" line="101" />
        <source>{0} 秒后自动提交</source>
        <translation>Submitting in {0} s</translation>
    </message>
</context>
<context>
    <name>StaffPage</name>
    <message>
        <location filename="../../kiosk/ui/technician/staff.py" line="37" />
        <source>{0} 号窗口</source>
        <translation>Window {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/staff.py" line="39" />
        <source>省平台尚未下发本窗口的信息</source>
        <translation>The province has not yet sent this window's details</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/staff.py" line="43" />
        <source>名单来自省平台，共 {0} 人</source>
        <translation>Roster from the province: {0} people</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/staff.py" line="45" />
        <source>省平台尚未下发人员名单</source>
        <translation>The province has not yet sent a staff roster</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/staff.py" line="49" />
        <source>当前登录</source>
        <translation>Signed in</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/staff.py" line="54" />
        <source>人员名单</source>
        <translation>Staff roster</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/staff.py" line="56" />
        <source>工号</source>
        <translation>Staff no.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/staff.py" line="56" />
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/staff.py" line="56" />
        <source>职务</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/staff.py" line="56" />
        <source>状态</source>
        <translation>State</translation>
    </message>
</context>
<context>
    <name>SystemPage</name>
    <message>
        <location filename="../../kiosk/ui/technician/system.py" line="73" />
        <source>系统</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/system.py" line="75" />
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/system.py" line="75" />
        <source>设备编号</source>
        <translation>Device ID</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/system.py" line="75" />
        <source>数据目录</source>
        <translation>Data directory</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/system.py" line="78" />
        <source>修改 PIN</source>
        <translation>Change the PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/system.py" line="80" />
        <source>确认重启？</source>
        <translation>Restart now?</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/system.py" line="80" />
        <source>重启评价程序</source>
        <translation>Restart the pad</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/system.py" line="82" />
        <source>确认退出？</source>
        <translation>Exit now?</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/system.py" line="82" />
        <source>退出评价程序</source>
        <translation>Exit the pad</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/system.py" line="85" />
        <source>由系统服务运行时，退出后约 3 秒会自动重新启动；要让它保持停止，请在系统中执行 systemctl stop kiosk</source>
        <translation>Run as a system service, the pad starts again about 3 s after it exits; to keep it stopped, run systemctl stop kiosk</translation>
    </message>
</context>
<context>
    <name>TechnicianConsole</name>
    <message>
        <location filename="../../kiosk/ui/technician/console.py" line="220" />
        <source>PIN 错误，还可尝试 {0} 次</source>
        <translation>Wrong PIN: {0} tries left</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/console.py" line="241" />
        <source>PIN 已修改</source>
        <translation>PIN changed</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/console.py" line="253" />
        <source>连续输错 5 次，已锁定。请 {0} 分 {1} 秒后再试</source>
        <translation>Locked after 5 wrong PINs. Try again in {0} min {1} s</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/console.py" line="257" />
        <source>已解锁，请输入 PIN</source>
        <translation>Unlocked: enter the PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/console.py" line="309" />
        <source>未保存：{0}</source>
        <translation>Not saved: {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/console.py" line="314" />
        <source>未保存：无法写入 {0}（{1}）</source>
        <translation>Not saved: cannot write {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/console.py" line="322" />
        <source>已保存；{0} 在重启后生效</source>
        <translation>Saved; {0} takes effect after a restart</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/console.py" line="325" />
        <source>已保存并生效</source>
        <translation>Saved and in effect</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/console.py" line="357" />
        <source>技术人员控制台</source>
        <translation>Technician console</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/console.py" line="358" />
        <source>返回评价界面</source>
        <translation>Back to the rating screen</translation>
    </message>
</context>
<context>
    <name>TerminalTexts</name>
    <message>
        <location filename="../../kiosk/ui/terminal_texts.py" line="14" />
        <source>身份证已超过有效期，无法查询。请扫描办件回执，或输入办件编号</source>
        <translation>This ID card has expired and cannot be used. Scan your receipt or type the case number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/terminal_texts.py" line="17" />
        <source>身份证号码无法核验，请重新放置身份证</source>
        <translation>The ID number could not be verified; please place the card again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/terminal_texts.py" line="20" />
        <source>未能读取身份证，请重新放置身份证</source>
        <translation>The card could not be read; please place it again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/terminal_texts.py" line="23" />
        <source>请放置居民身份证</source>
        <translation>Please place a resident ID card</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/terminal_texts.py" line="24" />
        <location filename="../../kiosk/ui/terminal_texts.py" line="27" />
        <source>读卡器暂不可用，请扫描办件回执，或输入办件编号</source>
        <translation>The card reader is not available; scan your receipt or type the case number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/terminal_texts.py" line="30" />
        <source>扫码器暂不可用，请放置身份证，或输入办件编号</source>
        <translation>The scanner is not available; place your ID card or type the case number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/terminal_texts.py" line="33" />
        <source>暂时无法查询，请稍后再试</source>
        <translation>Cases cannot be looked up just now; please try again later</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/terminal_texts.py" line="36" />
        <source>查询次数过多，请一分钟后再试</source>
        <translation>Too many look-ups; please try again in a minute</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/terminal_texts.py" line="39" />
        <source>这不是办件编号，请扫描受理回执上的条码，或输入办件编号</source>
        <translation>That is not a case number; scan the barcode on your receipt or type the case number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/terminal_texts.py" line="42" />
        <source>没有找到近 30 天内的办件。请核对办件编号和手机号或身份证号后四位</source>
        <translation>No case of the last 30 days was found. Check the case number and the last four digits</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/terminal_texts.py" line="45" />
        <source>本终端暂不能查询办件，请到办理窗口评价</source>
        <translation>This terminal cannot look cases up; please rate at the window that served you</translation>
    </message>
</context>
<context>
    <name>ThanksScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/thanks.py" line="32" />
        <source>谢谢您的评价</source>
        <translation>Thank you for your rating</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/thanks.py" line="33" />
        <source>您的评价已记录，并报送政务服务“好差评”系统</source>
        <translation>Your rating is recorded and goes to the government service rating system</translation>
    </message>
</context>
<context>
    <name>UplinkPage</name>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="75" />
        <source>未设置省平台地址</source>
        <translation>No province address is set</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="70" />
        <location filename="../../kiosk/ui/technician/uplink.py" line="84" />
        <source>正在连接省平台……</source>
        <translation>Contacting the province…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="124" />
        <source>没有改动</source>
        <translation>Nothing changed</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="146" />
        <source>在线：省平台可达</source>
        <translation>Online: the province is reachable</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="147" />
        <source>无法连接省平台，正在重试</source>
        <translation>The province cannot be reached: retrying</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="148" />
        <source>等待注册</source>
        <translation>Waiting for enrolment</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="149" />
        <source>已暂停：省平台拒绝了本设备</source>
        <translation>Stopped: the province refuses this device</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="150" />
        <source>离线：未设置省平台地址</source>
        <translation>Offline: no province address is set</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="161" />
        <source>未设置</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="165" />
        <source>从未</source>
        <translation>Never</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="168" />
        <source>{0:+.1f} 秒</source>
        <translation>{0:+.1f} s</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="171" />
        <source>未知</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="179" />
        <source>尚未报告</source>
        <translation>Not reported yet</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="185" />
        <source>省平台</source>
        <translation>Province</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="187" />
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="188" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="189" />
        <source>最近应答</source>
        <translation>Last answer</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="190" />
        <source>时钟偏差（省平台减本机）</source>
        <translation>Clock offset (province minus pad)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="191" />
        <source>待发送</source>
        <translation>Waiting to be sent</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="192" />
        <source>死信（被拒绝的评价）</source>
        <translation>Dead letters (rejected ratings)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="193" />
        <source>省平台确认到（acceptedSeq）</source>
        <translation>The province holds up to (acceptedSeq)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="194" />
        <source>本机已获应答到</source>
        <translation>Answered up to, on this pad</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="195" />
        <source>本机最新序号</source>
        <translation>Last seq on this pad</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="199" />
        <source>立即检查连接</source>
        <translation>Check the connection now</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="200" />
        <source>死信：省平台拒绝的评价，保留在本机，不再发送</source>
        <translation>Dead letters: ratings the province rejected, kept here and never sent again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="202" />
        <source>序号</source>
        <translation>Seq</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="202" />
        <source>评价编号</source>
        <translation>Evaluation ID</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="202" />
        <source>原因代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="202" />
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="202" />
        <source>说明</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="204" />
        <source>省平台地址（uplink.url，重启后生效）</source>
        <translation>Province address (uplink.url; after a restart)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/technician/uplink.py" line="205" />
        <source>保存地址</source>
        <translation>Save the address</translation>
    </message>
</context>
</TS>