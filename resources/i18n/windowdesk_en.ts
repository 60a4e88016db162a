<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name />
    <message>
        <location filename="../../ui/inbox.py" line="383" />
        <source>（待上传）</source>
        <translation> (not uploaded)</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="89" />
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="90" />
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="91" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>AssistRow</name>
    <message>
        <location filename="../../ui/intake.py" line="117" />
        <source>请选择协办部门</source>
        <translation>Please choose an assisting department</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="122" />
        <source>需要对方提供的材料或意见</source>
        <translation>What the other department must provide</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="123" />
        <source>删除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="124" />
        <source>不再向该部门发起协办</source>
        <translation>Do not ask this department</translation>
    </message>
</context>
<context>
    <name>CallbackDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="372" />
        <source>申请人的意见、联系情况</source>
        <translation>What the citizen said; how they were reached</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="373" />
        <source>回访结果</source>
        <translation>Callback outcome</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="374" />
        <source>回访记录（选填）</source>
        <translation>Callback notes (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="377" />
        <source>请选择回访结果</source>
        <translation>Please choose the outcome</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <location filename="../../ui/cases.py" line="42" />
        <source>会商确定</source>
        <translation>After consultation</translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <location filename="../../ui/cases.py" line="53" />
        <source>搜索 办件编号 / 姓名 / 身份证后4位 / 事项</source>
        <translation>Search case no. / name / last 4 of ID / matter</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="322" />
        <source>评价涉及（可多选）</source>
        <translation>About (any)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="324" />
        <source>满意可不填；不满意请写明原因</source>
        <translation>Optional if satisfied; say why if not</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="325" />
        <location filename="../../ui/actions.py" line="333" />
        <source>评价意见</source>
        <translation>Comment</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="326" />
        <source>满意程度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="332" />
        <source>不满意原因（必填）</source>
        <translation>Why unsatisfied (required)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="345" />
        <source>请选择满意程度</source>
        <translation>Please choose a rating</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="347" />
        <source>评价为“%1”时，请写明不满意的原因</source>
        <translation>With "%1", say why</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <location filename="../../ui/conflicts.py" line="82" />
        <source>以下操作未能在服务器生效</source>
        <translation>These actions did not take effect on the server</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="88" />
        <source>多人同时办理同一事项时，先到达服务器的操作生效。下列操作到达时已不能办理，本机已恢复为服务器上的状态。
请阅读原因：仍需办理的，选中后点「重做」按现在的状态再提交一次；无需再办的，点「知道了」。</source>
        <translation>When several people act on the same item, the first action to reach the server wins. These actions could no longer be done when they arrived; this PC now shows the server's state.
Read the reason: to act again on the current state, select it and click Redo; otherwise click Got it.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="94" />
        <source>没有未生效的操作。</source>
        <translation>No rejected actions.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="117" />
        <source>知道了</source>
        <translation>Got it</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="118" />
        <source>不再显示这条记录（操作本身不会再提交）</source>
        <translation>Hide this record (the action is not submitted again)</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="120" />
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="178" />
        <source>无法重做</source>
        <translation>Cannot redo</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="179" />
        <source>「%1」现在仍不能办理：</source>
        <translation>"%1" still cannot be done:</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="192" />
        <source>新建的办件或协同请求不能重做，如仍需要，请重新填写后提交。</source>
        <translation>A new case or request cannot be redone; fill it in again if still needed.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="194" />
        <source>现在不能重做：</source>
        <translation>Cannot redo now: </translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="196" />
        <source>按现在的状态再提交一次同样的操作</source>
        <translation>Submit the same action again on the current state</translation>
    </message>
</context>
<context>
    <name>ExtendDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="286" />
        <source> 个工作小时</source>
        <translation> working hours</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="287" />
        <source>（1 个工作日 = %1 小时）</source>
        <translation>(1 working day = %1 h)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="293" />
        <source>为什么需要更多时间</source>
        <translation>Why more time is needed</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="294" />
        <source>延长</source>
        <translation>Extend by</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="295" />
        <source>延期原因</source>
        <translation>Reason for the extension</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="299" />
        <source>请填写延期原因</source>
        <translation>Please give the reason for the extension</translation>
    </message>
</context>
<context>
    <name>ForwardDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="259" />
        <source>请选择部门</source>
        <translation>Please choose a department</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="262" />
        <source>为什么应由该部门办理</source>
        <translation>Why that department should handle it</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="263" />
        <source>转给</source>
        <translation>Forward to</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="264" />
        <source>转办原因</source>
        <translation>Reason for forwarding</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="269" />
        <source>请选择转办给哪个部门</source>
        <translation>Please choose where to forward it</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="271" />
        <source>请填写转办原因</source>
        <translation>Please give the reason for forwarding</translation>
    </message>
</context>
<context>
    <name>IntakeForm</name>
    <message>
        <location filename="../../ui/intake.py" line="185" />
        <source>打印回执…</source>
        <translation>Print receipt…</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="188" />
        <source>放弃草稿</source>
        <translation>Discard draft</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="219" />
        <source>清空表单</source>
        <translation>Clear form</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="220" />
        <source>清空所有已填内容（草稿一并删除）</source>
        <translation>Clear everything typed (and the draft)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="222" />
        <source>受理登记</source>
        <translation>Intake</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="223" />
        <source>只登记办件，不发起协同</source>
        <translation>Register the case only, without requests</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="225" />
        <source>受理并发起协同（Ctrl+Enter）</source>
        <translation>Register and send (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="226" />
        <source>登记办件，并向所选部门发送协同请求</source>
        <translation>Register the case and send the requests</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="245" />
        <source>申请人与事项</source>
        <translation>Applicant and matter</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="268" />
        <source>与身份证件一致</source>
        <translation>As on the ID card</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="270" />
        <source>申请人姓名(&amp;N)</source>
        <translation>Applicant &amp;name</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="274" />
        <source>18位居民身份证号码</source>
        <translation>18-character resident ID number</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="276" />
        <source>身份证号(&amp;I)</source>
        <translation>&amp;ID number</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="280" />
        <source>手机号，或带区号的座机号</source>
        <translation>Mobile, or landline with area code</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="282" />
        <source>联系电话(&amp;P)</source>
        <translation>&amp;Phone</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="299" />
        <source>输入事项名称搜索，或点右侧箭头选择</source>
        <translation>Type to search the catalogue, or open the list</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="303" />
        <source>办理事项(&amp;M)</source>
        <translation>&amp;Matter</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="313" />
        <source>受理渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="327" />
        <source>办件类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="330" />
        <source>申请人的诉求、特殊情况等（选填）</source>
        <translation>The citizen's request, special circumstances (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="334" />
        <source>情况说明(&amp;D)</source>
        <translation>&amp;Description</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="341" />
        <source>可把扫描件直接拖到表单上</source>
        <translation>Scans can be dropped onto the form</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="342" />
        <source>添加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="344" />
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="350" />
        <source>PDF、JPG、PNG、OFD，可拖入</source>
        <translation>PDF, JPG, PNG, OFD; drag files here</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="358" />
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="379" />
        <source>所需材料（勾选 = 已收取）</source>
        <translation>Required materials (ticked = received)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="382" />
        <location filename="../../ui/intake.py" line="679" />
        <source>选择事项后显示该事项的材料清单</source>
        <translation>Choose a matter to see its materials</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="387" />
        <source>全部已收</source>
        <translation>All received</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="398" />
        <source>发起协同（点“受理并发起协同”时发送）</source>
        <translation>Collaboration (sent with "Register and send")</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="401" />
        <source>主办部门</source>
        <translation>Lead department</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="403" />
        <source>不指定（本部门主办）</source>
        <translation>None (this department leads)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="408" />
        <source>需要主办部门提供/办理的内容</source>
        <translation>What the lead department must provide or do</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="415" />
        <source>协办部门</source>
        <translation>Assisting departments</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="419" />
        <source>＋ 添加协办部门</source>
        <translation>+ Add assisting department</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="575" />
        <source>已恢复上次未提交的登记</source>
        <translation>Restored the intake you had not submitted</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="575" />
        <source>，请核对后继续。</source>
        <translation>; please check and go on.</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="593" />
        <location filename="../../ui/intake.py" line="867" />
        <source>✓ 有效</source>
        <translation>✓ Valid</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="660" />
        <source>承诺时限：%s；默认%s件</source>
        <translation>Promised: %s; default %s</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="678" />
        <source>该事项无需提交材料</source>
        <translation>No materials needed</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="696" />
        <source>已收 %d/%d，材料齐全</source>
        <translation>Received %d/%d, complete</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="698" />
        <source>已收 %d/%d，尚缺 %d 件（回执上会列出）</source>
        <translation>Received %d/%d, %d missing (listed on the receipt)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="780" />
        <source>无法读取文件 %s（%s）</source>
        <translation>Cannot read %s (%s)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="815" />
        <source>请填写申请人姓名</source>
        <translation>Please fill in the applicant's name</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="823" />
        <source>事项清单中没有“%s”，请从列表中选择</source>
        <translation>"%s" is not in the catalogue; choose from the list</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="826" />
        <source>请选择办理事项</source>
        <translation>Please choose the matter</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="828" />
        <source>情况说明最多 %d 字</source>
        <translation>Description: at most %d characters</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="837" />
        <source>请填写需要主办部门提供的内容</source>
        <translation>Please say what the lead department must provide</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="842" />
        <source>请选择协办部门，或删除这一行</source>
        <translation>Choose an assisting department, or remove the row</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="844" />
        <source>%s 已在协同部门中，请勿重复</source>
        <translation>%s is already among the departments asked; do not add it twice</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="847" />
        <source>请填写需要该部门提供的内容</source>
        <translation>Please say what this department must provide</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="850" />
        <source>请至少选择一个主办或协办部门；不需要协同时请点“受理登记”</source>
        <translation>Choose at least one department, or click Intake to register only</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="896" />
        <source>有 %d 处需要修改，请按红色提示更正后再提交（已填内容均已保留）</source>
        <translation>%d fields need correcting; see the red notes (everything typed is kept)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="937" />
        <source>已受理：%s（%s）。</source>
        <translation>Registered: %s (%s).</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="939" />
        <source>已向 %s 发起协同。</source>
        <translation>Requests sent to %s.</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="942" />
        <source>办件已受理，但以下协同请求未发出，请在办件中补发：</source>
        <translation>The case is registered, but these requests were not sent; send them from the case:</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="969" />
        <source>未能受理，请按红色提示更正（已填内容均已保留）</source>
        <translation>Not registered; correct the red notes (everything typed is kept)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="971" />
        <source>未能受理：%s</source>
        <translation>Not registered: %s</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login.py" line="32" />
        <source>一窗协同 — 登录</source>
        <translation>WindowDesk — Log in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="39" />
        <source>记住登录（凭据保存在系统密钥环）</source>
        <translation>Remember me (kept in the system keyring)</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="45" />
        <source>服务器地址</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="46" />
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="47" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="51" />
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="65" />
        <source>请填写服务器地址、用户名和密码</source>
        <translation>Please fill in server, user name and password</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="69" />
        <source>正在登录…</source>
        <translation>Logging in…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="40" />
        <source>一窗协同</source>
        <translation>WindowDesk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="41" />
        <source>　【演示模式】</source>
        <translation> [DEMO]</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="53" />
        <source>收件箱</source>
        <translation>Inbox</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="53" />
        <source>已发起</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="54" />
        <source>受理登记</source>
        <translation>Intake</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="54" />
        <source>办件查询</source>
        <translation>Cases</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="55" />
        <location filename="../../ui/main_window.py" line="144" />
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="97" />
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="98" />
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="149" />
        <source>界面语言将在下次启动时生效</source>
        <translation>The language changes at the next start</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="161" />
        <source>待上传 %n 项</source>
        <translation>
            <numerusform>%n actions waiting to upload</numerusform>
            <numerusform>%n actions waiting to upload</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="162" />
        <source>无待上传操作</source>
        <translation>Nothing waiting to upload</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="165" />
        <source>上次同步</source>
        <translation>Last sync</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="167" />
        <source>⚠ 本机时钟与服务器相差 %1 分钟，倒计时按服务器时间显示</source>
        <translation>⚠ This PC's clock is %1 min off the server's; countdowns use server time</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="178" />
        <source>重新登录</source>
        <translation>Log in again</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="179" />
        <source>登录已失效，请输入密码重新登录（未上传的操作会保留）：</source>
        <translation>Your session ended. Enter your password to log in again (unsent actions are kept):</translation>
    </message>
</context>
<context>
    <name>NotificationCenter</name>
    <message numerus="yes">
        <location filename="../../ui/notify.py" line="379" />
        <source>另有 %n 条新消息</source>
        <translation>
            <numerusform>%n more new messages</numerusform>
            <numerusform>%n more new messages</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="380" />
        <source>请查看收件箱、已发起和冲突页。</source>
        <translation>See Inbox, Sent and Conflicts.</translation>
    </message>
</context>
<context>
    <name>PanelNotifier</name>
    <message>
        <location filename="../../ui/notify.py" line="219" />
        <source>消息提醒</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="225" />
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="227" />
        <source>收起</source>
        <translation>Hide</translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="245" />
        <source>暂无新消息</source>
        <translation>No new messages</translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="247" />
        <source>点击一条消息即可打开对应事项</source>
        <translation>Click a message to open its item</translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="257" />
        <source>一窗协同 — 消息提醒</source>
        <translation>WindowDesk — Notifications</translation>
    </message>
</context>
<context>
    <name>PreviewWindow</name>
    <message>
        <location filename="../../ui/detail.py" line="843" />
        <source>预览 — </source>
        <translation>Preview — </translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="865" />
        <source>该格式不能在这里预览。请关闭本窗口，点“打开”用本机程序查看。</source>
        <translation>This format cannot be previewed here. Close this window and click Open.</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="156" />
        <source>（选填）</source>
        <translation>(optional)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="161" />
        <source>请填写</source>
        <translation>Please fill in</translation>
    </message>
</context>
<context>
    <name>ReceiptDialog</name>
    <message>
        <location filename="../../ui/receipt.py" line="256" />
        <source>受理回执 — %s</source>
        <translation>Receipt — %s</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="266" />
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="267" />
        <source>另存为PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="268" />
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="275" />
        <source>版式：</source>
        <translation>Layout:</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="314" />
        <source>已发送到打印机 %s</source>
        <translation>Sent to printer %s</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="325" />
        <source>保存失败：%s</source>
        <translation>Could not save: %s</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="329" />
        <source>保存失败：无法写入 %s</source>
        <translation>Could not save: cannot write %s</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="332" />
        <source>已保存到 %s</source>
        <translation>Saved to %s</translation>
    </message>
</context>
<context>
    <name>ReplyDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="180" />
        <source>写明办理结果或提供的材料</source>
        <translation>The result, or the material provided</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="183" />
        <source>添加附件…</source>
        <translation>Add attachment…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="185" />
        <source>移除所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="191" />
        <source>支持 %1，单个不超过 20 MB</source>
        <translation>%1, at most 20 MB each</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="198" />
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="205" />
        <source>正在添加 %1…</source>
        <translation>Adding %1…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="246" />
        <source>请填写</source>
        <translation>Please fill in</translation>
    </message>
</context>
<context>
    <name>RequestDetail</name>
    <message>
        <location filename="../../ui/detail.py" line="117" />
        <source>请选择一条协同请求</source>
        <translation>Select a request</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="140" />
        <source>本机没有这条协同请求（可能尚未同步，或已无权查看）</source>
        <translation>This request is not on this PC (not synced yet, or no longer visible)</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="269" />
        <source>您当前没有可执行的操作</source>
        <translation>There is nothing you can do with it now</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="275" />
        <source>请求：</source>
        <translation>Request: </translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="276" />
        <source>办件：</source>
        <translation>Case:</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="314" />
        <source>需要提供</source>
        <translation>Needed</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="317" />
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="318" />
        <source>没有附件</source>
        <translation>No attachments</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="325" />
        <source>办件信息</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="326" />
        <source>会商确定</source>
        <translation>After consultation</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="327" />
        <source>未指定</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="350" />
        <source>回复</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="387" />
        <source>办理经过（按服务器时间）</source>
        <translation>History (server time)</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="403" />
        <source>不能</source>
        <translation>Cannot</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="432" />
        <source>正在下载…</source>
        <translation>Downloading…</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="447" />
        <source>下载失败</source>
        <translation>Download failed</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="449" />
        <source>无法获取附件</source>
        <translation>Cannot fetch the attachment</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="450" />
        <source>附件 %1 下载失败：%2</source>
        <translation>Attachment %1 failed to download: %2</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="458" />
        <source>无法打开</source>
        <translation>Cannot open</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="459" />
        <source>本机没有能打开该文件的程序：%1</source>
        <translation>No program on this PC opens this file: %1</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="472" />
        <source>已保存到 %1</source>
        <translation>Saved to %1</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../../ui/detail.py" line="816" />
        <source>本机操作，尚未上传到服务器；显示的是本机记录的时间</source>
        <translation>Done on this PC, not yet uploaded; the time shown is this PC's</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="819" />
        <source>暂无记录</source>
        <translation>No records</translation>
    </message>
</context>
<context>
    <name>TrayNotifier</name>
    <message>
        <location filename="../../ui/notify.py" line="109" />
        <source>打开一窗协同</source>
        <translation>Open WindowDesk</translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="130" />
        <source>一窗协同</source>
        <translation>WindowDesk</translation>
    </message>
</context>
<context>
    <name>UrgeDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="388" />
        <source>例如：申请人在窗口等候，请尽快办理</source>
        <translation>e.g. the citizen is waiting at the counter, please hurry</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="389" />
        <source>留言（选填）</source>
        <translation>Note (optional)</translation>
    </message>
</context>
<context>
    <name>_Card</name>
    <message>
        <location filename="../../ui/notify.py" line="190" />
        <source>点击打开</source>
        <translation>Click to open</translation>
    </message>
</context>
<context><name>WindowDesk</name><message><source>12345热线</source><translation>12345 hotline</translation></message><message><source>一般</source><translation>General</translation></message><message><source>不足1小时</source><translation>Under 1 h</translation></message><message><source>主办</source><translation>Lead</translation></message><message><source>事项</source><translation>Matter</translation></message><message><source>信箱</source><translation>Mailbox</translation></message><message><source>倒计时</source><translation>Time left</translation></message><message><source>全部</source><translation>All</translation></message><message><source>办件编号</source><translation>Case no.</translation></message><message><source>办理中</source><translation>In progress</translation></message><message><source>协办</source><translation>Assisting</translation></message><message><source>发往</source><translation>To</translation></message><message><source>发起时间</source><translation>Sent</translation></message><message><source>复杂</source><translation>Complex</translation></message><message><source>已办结</source><translation>Done</translation></message><message><source>已受理</source><translation>Registered</translation></message><message><source>已告知</source><translation>Explained</translation></message><message><source>已回复</source><translation>Replied</translation></message><message><source>已完成</source><translation>Finished</translation></message><message><source>已撤回</source><translation>Withdrawn</translation></message><message><source>已暂停</source><translation>Paused</translation></message><message><source>已超期</source><translation>Overdue</translation></message><message><source>已转办</source><translation>Forwarded</translation></message><message><source>已退回</source><translation>Sent back</translation></message><message><source>待签收</source><translation>To accept</translation></message><message><source>急件</source><translation>Urgent</translation></message><message><source>截止时间</source><translation>Due</translation></message><message><source>来自</source><translation>From</translation></message><message><source>正常</source><translation>On time</translation></message><message><source>状态</source><translation>State</translation></message><message><source>申请人</source><translation>Applicant</translation></message><message><source>窗口</source><translation>Counter</translation></message><message><source>窗口人员</source><translation>Clerk</translation></message><message><source>简易</source><translation>Simple</translation></message><message><source>系统管理员</source><translation>Administrator</translation></message><message><source>网上</source><translation>Online</translation></message><message><source>联络员</source><translation>Liaison</translation></message><message><source>部门领导</source><translation>Leader</translation></message><message><source>重新办理</source><translation>Reopened</translation></message><message><source>（待上传）</source><translation> (not uploaded)</translation></message></context></TS>