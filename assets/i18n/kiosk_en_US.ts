<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>IdleScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="141" />
        <source>办理完成后，可在窗口评价或扫描二维码评价</source>
        <translation>When your business is done, rate us here or by scanning the QR code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="147" />
        <source>{0} 号窗口</source>
        <translation>Window {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="153" />
        <source>工作人员</source>
        <translation>Staff member</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="155" />
        <source>工号：{0}</source>
        <translation>Staff no. {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="161" />
        <source>本窗口近 {0} 日评价（{1} 至 {2}）</source>
        <translation>This window's ratings over {0} days ({1} to {2})</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/idle.py" line="170" />
        <source>好评率 {0:.1f}%</source>
        <translation>Satisfied: {0:.1f}%</translation>
    </message>
</context>
<context>
    <name>PadWindow</name>
    <message>
        <location filename="../../kiosk/ui/window.py" line="122" />
        <source>存储不可用（磁盘已满或只读）：暂停接收新的评价，已存的评价不会丢失</source>
        <translation>Storage unavailable (disk full or read-only): no new ratings for now; stored ones are safe</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="123" />
        <source>评价器未连接：请检查线缆，仍可在屏幕上评价</source>
        <translation>Evaluator not connected: check its cable; rating on the screen still works</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="124" />
        <source>评价器无响应：请检查评价器电源，仍可在屏幕上评价</source>
        <translation>Evaluator not responding: check its power; rating on the screen still works</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="125" />
        <source>省级平台拒绝了本设备：评价保存在本机，请联系技术人员</source>
        <translation>The provincial service refused this device: ratings are kept here; call a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="126" />
        <source>省级平台确认的评价少于本机记录：请联系技术人员</source>
        <translation>The provincial service holds fewer ratings than this pad: call a technician</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="128" />
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
    <name>PromptScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/prompt.py" line="91" />
        <source>也可用手机扫码评价</source>
        <translation>Or scan to rate on your phone</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/prompt.py" line="98" />
        <source>请您对本次自助服务做出评价</source>
        <translation>Please rate this self-service</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/prompt.py" line="100" />
        <source>请您对我的服务做出评价</source>
        <translation>Please rate my service</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/prompt.py" line="101" />
        <source>办理事项：{0}</source>
        <translation>Service: {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/prompt.py" line="103" />
        <source>办事人：{0}</source>
        <translation>Applicant: {0}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/prompt.py" line="119" />
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
    <name>ReasonsScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/reasons.py" line="95" />
        <source>提交评价</source>
        <translation>Submit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/reasons.py" line="106" />
        <source>请选择您不满意的原因</source>
        <translation>Please tell us what went wrong</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/reasons.py" line="107" />
        <source>至少选择一项后提交</source>
        <translation>Choose at least one reason, then submit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/reasons.py" line="109" />
        <source>您可以选择评价的原因</source>
        <translation>You may tell us why</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/reasons.py" line="110" />
        <source>选填，可直接提交</source>
        <translation>Optional: you can submit right away</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/reasons.py" line="121" />
        <source>{0} 秒后自动提交</source>
        <translation>Submitting in {0} s</translation>
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
</TS>