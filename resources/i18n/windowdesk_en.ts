<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name />
    <message>
        <location filename="../../ui/inbox.py" line="384" />
        <source>（待上传）</source>
        <translation> (not uploaded)</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="118" />
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="119" />
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="120" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>AssistRow</name>
    <message>
        <location filename="../../ui/intake.py" line="119" />
        <source>请选择协办部门</source>
        <translation>Please choose an assisting department</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="124" />
        <source>需要对方提供的材料或意见</source>
        <translation>What the other department must provide</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="125" />
        <source>删除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="126" />
        <source>不再向该部门发起协办</source>
        <translation>Do not ask this department</translation>
    </message>
</context>
<context>
    <name>CallbackDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="420" />
        <source>申请人的意见、联系情况</source>
        <translation>What the citizen said; how they were reached</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="421" />
        <source>回访结果</source>
        <translation>Callback outcome</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="422" />
        <source>回访记录（选填）</source>
        <translation>Callback notes (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="425" />
        <source>请选择回访结果</source>
        <translation>Please choose the outcome</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <location filename="../../ui/cases.py" line="28" />
        <source>会商确定</source>
        <translation>After consultation</translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <location filename="../../ui/cases.py" line="40" />
        <source>搜索 办件编号 / 姓名 / 身份证后4位 / 事项</source>
        <translation>Search case no. / name / last 4 of ID / matter</translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <location filename="../../ui/dashboard.py" line="223" />
        <source>每日收件与回复</source>
        <translation>Daily requests and replies</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="224" />
        <source>每日按时率</source>
        <translation>Daily on-time rate</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="242" />
        <source>收件</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="242" />
        <source>回复</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="259" />
        <source>按时率</source>
        <translation>On-time rate</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="371" />
        <source>满意程度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="360" />
        <source>评价涉及的方面（可多选）</source>
        <translation>What the rating concerns (tick any)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="362" />
        <source>写明对办理结果的意见</source>
        <translation>Your view of how it was handled</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="363" />
        <location filename="../../ui/actions.py" line="384" />
        <source>评价意见（选填）</source>
        <translation>Comment (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="364" />
        <source>评为“不满意”或“非常不满意”时须写明原因：承办部门将据此整改，并回访申请人。</source>
        <translation>A rating of "Unsatisfied" or "Very unsatisfied" needs its reason: the answering department puts it right accordingly and calls the citizen back.</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="380" />
        <source>不满意的方面（可多选）</source>
        <translation>What was unsatisfactory (tick any)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="381" />
        <source>不满意的原因（必填）</source>
        <translation>Why unsatisfied (required)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="383" />
        <source>满意的方面（可多选）</source>
        <translation>What was good (tick any)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="396" />
        <source>请选择满意程度</source>
        <translation>Please choose a rating</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="398" />
        <source>评价为“%1”时，请写明不满意的原因</source>
        <translation>With "%1", say why</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <location filename="../../ui/conflicts.py" line="67" />
        <source>以下操作未能在服务器生效</source>
        <translation>These actions did not take effect on the server</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="73" />
        <source>多人同时办理同一事项时，先到达服务器的操作生效。下列操作到达时已不能办理，本机已恢复为服务器上的状态。
请阅读原因：仍需办理的，选中后点「重做」按现在的状态再提交一次；无需再办的，点「知道了」。</source>
        <translation>When several people act on the same item, the first action to reach the server wins. These actions could no longer be done when they arrived; this PC now shows the server's state.
Read the reason: to act again on the current state, select it and click Redo; otherwise click Got it.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="79" />
        <source>没有未生效的操作。</source>
        <translation>No rejected actions.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="102" />
        <source>知道了</source>
        <translation>Got it</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="103" />
        <source>不再显示这条记录（操作本身不会再提交）</source>
        <translation>Hide this record (the action is not submitted again)</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="105" />
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="163" />
        <source>无法重做</source>
        <translation>Cannot redo</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="164" />
        <source>「%1」现在仍不能办理：</source>
        <translation>"%1" still cannot be done:</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="177" />
        <source>新建的办件或协同请求不能重做，如仍需要，请重新填写后提交。</source>
        <translation>A new case or request cannot be redone; fill it in again if still needed.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="179" />
        <source>现在不能重做：</source>
        <translation>Cannot redo now: </translation>
    </message>
    <message>
        <location filename="../../ui/conflicts.py" line="181" />
        <source>按现在的状态再提交一次同样的操作</source>
        <translation>Submit the same action again on the current state</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../../ui/dashboard.py" line="295" />
        <source>统计区间：</source>
        <translation>Period:</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="305" />
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="307" />
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="322" />
        <source>按按时率排名，相同时用时短者在前；用时为工作小时。</source>
        <translation>Ranked by on-time rate, the faster first when equal; times are working hours.</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="325" />
        <source>排行榜（比学赶超）</source>
        <translation>Leaderboard</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="407" />
        <source>正在获取统计…</source>
        <translation>Fetching statistics…</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="427" />
        <source>%1 至 %2</source>
        <translation>%1 to %2</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="439" />
        <source>无法连接服务器，本机也没有这段时间的统计缓存。联网后请点“刷新”。</source>
        <translation>Cannot reach the server, and this PC has no cached statistics for this period. Click Refresh once online.</translation>
    </message>
</context>
<context>
    <name>DecideAppealDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="517" />
        <source>申诉成立，撤销差评</source>
        <translation>Appeal upheld: annul the rating</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="518" />
        <source>该差评作废：不计入统计，评价部门不能再据此重新办理。</source>
        <translation>The rating is void: it leaves the statistics, and the rating department can no longer reopen the request on it.</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="519" />
        <source>驳回申诉，继续整改</source>
        <translation>appeal dismissed, rectification continues</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="520" />
        <source>差评有效：整改继续，期限不变。</source>
        <translation>The rating stands: the rectification goes on, with the same deadline.</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="528" />
        <source>写明核实的情况和裁决理由</source>
        <translation>What was checked, and the reasons for the decision</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="529" />
        <source>申诉理由</source>
        <translation>Grounds of appeal</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="530" />
        <source>裁决</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="531" />
        <source>裁决意见</source>
        <translation>decision</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="536" />
        <source>请选择申诉是否成立</source>
        <translation>Please decide whether the appeal holds</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="538" />
        <source>请填写裁决意见</source>
        <translation>Please give the reasons for the decision</translation>
    </message>
</context>
<context>
    <name>EvaluationPage</name>
    <message>
        <location filename="../../ui/evaluation.py" line="63" />
        <source>%1年%2月</source>
        <translation>%2/%1</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="65" />
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="66" />
        <source>导出 Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="67" />
        <source>导出 CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="71" />
        <source>考核月份：</source>
        <translation>Month:</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="91" />
        <source>按部门</source>
        <translation>By department</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="92" />
        <source>按工作人员（超期多的在前）</source>
        <translation>By staff member (most overdue first)</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="132" />
        <source>正在获取考核数据…</source>
        <translation>Fetching the evaluation…</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="162" />
        <source>无法连接服务器，本机也没有这个月的考核缓存。联网后请点“刷新”。</source>
        <translation>Cannot reach the server, and this PC has no cached evaluation for this month. Click Refresh once online.</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="178" />
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="178" />
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="179" />
        <source>导出月度考核</source>
        <translation>Export the monthly evaluation</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="185" />
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="189" />
        <source>已导出到 %1</source>
        <translation>Exported to %1</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="195" />
        <source>导出失败</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <location filename="../../ui/evaluation.py" line="196" />
        <source>无法写入 %1：%2
如果该文件正在 Excel 中打开，请先关闭它。</source>
        <translation>Cannot write %1: %2
If the file is open in Excel, close it first.</translation>
    </message>
</context>
<context>
    <name>ExtendDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="316" />
        <source> 个工作小时</source>
        <translation> working hours</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="317" />
        <source>（1 个工作日 = %1 小时）</source>
        <translation>(1 working day = %1 h)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="323" />
        <source>为什么需要更多时间</source>
        <translation>Why more time is needed</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="324" />
        <source>延长</source>
        <translation>Extend by</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="325" />
        <source>延期原因</source>
        <translation>Reason for the extension</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="329" />
        <source>请填写延期原因</source>
        <translation>Please give the reason for the extension</translation>
    </message>
</context>
<context>
    <name>ForwardDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="289" />
        <source>请选择部门</source>
        <translation>Please choose a department</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="292" />
        <source>为什么应由该部门办理</source>
        <translation>Why that department should handle it</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="293" />
        <source>转给</source>
        <translation>Forward to</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="294" />
        <source>转办原因</source>
        <translation>Reason for forwarding</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="299" />
        <source>请选择转办给哪个部门</source>
        <translation>Please choose where to forward it</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="301" />
        <source>请填写转办原因</source>
        <translation>Please give the reason for forwarding</translation>
    </message>
</context>
<context>
    <name>InboxPage</name>
    <message>
        <location filename="../../ui/inbox.py" line="758" />
        <source>无法催办</source>
        <translation>Cannot urge</translation>
    </message>
</context>
<context>
    <name>IntakeForm</name>
    <message>
        <location filename="../../ui/intake.py" line="187" />
        <source>打印回执…</source>
        <translation>Print receipt…</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="190" />
        <source>放弃草稿</source>
        <translation>Discard draft</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="221" />
        <source>清空表单</source>
        <translation>Clear form</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="222" />
        <source>清空所有已填内容（草稿一并删除）</source>
        <translation>Clear everything typed (and the draft)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="224" />
        <source>受理登记</source>
        <translation>Intake</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="225" />
        <source>只登记办件，不发起协同</source>
        <translation>Register the case only, without requests</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="227" />
        <source>受理并发起协同（Ctrl+Enter）</source>
        <translation>Register and send (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="228" />
        <source>登记办件，并向所选部门发送协同请求</source>
        <translation>Register the case and send the requests</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="247" />
        <source>申请人与事项</source>
        <translation>Applicant and matter</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="270" />
        <source>与身份证件一致</source>
        <translation>As on the ID card</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="272" />
        <source>申请人姓名(&amp;N)</source>
        <translation>Applicant &amp;name</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="276" />
        <source>18位居民身份证号码</source>
        <translation>18-character resident ID number</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="278" />
        <source>身份证号(&amp;I)</source>
        <translation>&amp;ID number</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="282" />
        <source>手机号，或带区号的座机号</source>
        <translation>Mobile, or landline with area code</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="284" />
        <source>联系电话(&amp;P)</source>
        <translation>&amp;Phone</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="301" />
        <source>输入事项名称搜索，或点右侧箭头选择</source>
        <translation>Type to search the catalogue, or open the list</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="305" />
        <source>办理事项(&amp;M)</source>
        <translation>&amp;Matter</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="315" />
        <source>受理渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="329" />
        <source>办件类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="332" />
        <source>申请人的诉求、特殊情况等（选填）</source>
        <translation>The citizen's request, special circumstances (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="336" />
        <source>情况说明(&amp;D)</source>
        <translation>&amp;Description</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="343" />
        <source>可把扫描件直接拖到表单上</source>
        <translation>Scans can be dropped onto the form</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="344" />
        <source>添加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="346" />
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="352" />
        <source>PDF、JPG、PNG、OFD，可拖入</source>
        <translation>PDF, JPG, PNG, OFD; drag files here</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="360" />
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="381" />
        <source>所需材料（勾选 = 已收取）</source>
        <translation>Required materials (ticked = received)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="384" />
        <location filename="../../ui/intake.py" line="681" />
        <source>选择事项后显示该事项的材料清单</source>
        <translation>Choose a matter to see its materials</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="389" />
        <source>全部已收</source>
        <translation>All received</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="400" />
        <source>发起协同（点“受理并发起协同”时发送）</source>
        <translation>Collaboration (sent with "Register and send")</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="403" />
        <source>主办部门</source>
        <translation>Lead department</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="405" />
        <source>不指定（本部门主办）</source>
        <translation>None (this department leads)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="410" />
        <source>需要主办部门提供/办理的内容</source>
        <translation>What the lead department must provide or do</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="417" />
        <source>协办部门</source>
        <translation>Assisting departments</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="421" />
        <source>＋ 添加协办部门</source>
        <translation>+ Add assisting department</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="574" />
        <source>（%1 自动保存）</source>
        <translation> (saved automatically %1)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="577" />
        <source>已恢复上次未提交的登记</source>
        <translation>Restored the intake you had not submitted</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="577" />
        <source>，请核对后继续。</source>
        <translation>; please check and go on.</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="595" />
        <location filename="../../ui/intake.py" line="869" />
        <source>✓ 有效</source>
        <translation>✓ Valid</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="662" />
        <source>承诺时限：%s；默认%s件</source>
        <translation>Promised: %s; default %s</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="680" />
        <source>该事项无需提交材料</source>
        <translation>No materials needed</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="698" />
        <source>已收 %d/%d，材料齐全</source>
        <translation>Received %d/%d, complete</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="700" />
        <source>已收 %d/%d，尚缺 %d 件（回执上会列出）</source>
        <translation>Received %d/%d, %d missing (listed on the receipt)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="782" />
        <source>无法读取文件 %s（%s）</source>
        <translation>Cannot read %s (%s)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="817" />
        <source>请填写申请人姓名</source>
        <translation>Please fill in the applicant's name</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="825" />
        <source>事项清单中没有“%s”，请从列表中选择</source>
        <translation>"%s" is not in the catalogue; choose from the list</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="828" />
        <source>请选择办理事项</source>
        <translation>Please choose the matter</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="830" />
        <source>情况说明最多 %d 字</source>
        <translation>Description: at most %d characters</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="839" />
        <source>请填写需要主办部门提供的内容</source>
        <translation>Please say what the lead department must provide</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="844" />
        <source>请选择协办部门，或删除这一行</source>
        <translation>Choose an assisting department, or remove the row</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="846" />
        <source>%s 已在协同部门中，请勿重复</source>
        <translation>%s is already among the departments asked; do not add it twice</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="849" />
        <source>请填写需要该部门提供的内容</source>
        <translation>Please say what this department must provide</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="852" />
        <source>请至少选择一个主办或协办部门；不需要协同时请点“受理登记”</source>
        <translation>Choose at least one department, or click Intake to register only</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="898" />
        <source>有 %d 处需要修改，请按红色提示更正后再提交（已填内容均已保留）</source>
        <translation>%d fields need correcting; see the red notes (everything typed is kept)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="939" />
        <source>已受理：%s（%s）。</source>
        <translation>Registered: %s (%s).</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="941" />
        <source>已向 %s 发起协同。</source>
        <translation>Requests sent to %s.</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="944" />
        <source>办件已受理，但以下协同请求未发出，请在办件中补发：</source>
        <translation>The case is registered, but these requests were not sent; send them from the case:</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="971" />
        <source>未能受理，请按红色提示更正（已填内容均已保留）</source>
        <translation>Not registered; correct the red notes (everything typed is kept)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="973" />
        <source>未能受理：%s</source>
        <translation>Not registered: %s</translation>
    </message>
</context>
<context>
    <name>LeaderUrgeDialog</name>
    <message>
        <location filename="../../ui/overdue.py" line="70" />
        <source>督办</source>
        <translation>Supervise</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="72" />
        <source>督促 %1 办理「%2」（已超期 %3，工作时间）</source>
        <translation>Press %1 to handle "%2" (%3 overdue, working time)</translation>
    </message>
</context>
<context>
    <name>LeaderboardModel</name>
    <message>
        <location filename="../../ui/dashboard.py" line="134" />
        <source>标记</source>
        <translation>Mark</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="146" />
        <source>★ 领先</source>
        <translation>★ Leading</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="146" />
        <source>▼ 需加油</source>
        <translation>▼ Needs effort</translation>
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
        <location filename="../../ui/main_window.py" line="49" />
        <source>一窗协同</source>
        <translation>WindowDesk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="50" />
        <source>　【演示模式】</source>
        <translation> [DEMO]</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="62" />
        <source>收件箱</source>
        <translation>Inbox</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="62" />
        <source>已发起</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="63" />
        <source>受理登记</source>
        <translation>Intake</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="63" />
        <source>办件查询</source>
        <translation>Cases</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="64" />
        <location filename="../../ui/main_window.py" line="180" />
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="74" />
        <source>办理不满意</source>
        <translation>Unsatisfied</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="79" />
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="80" />
        <source>月度考核</source>
        <translation>Monthly evaluation</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="127" />
        <source>查看</source>
        <translation>View</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="128" />
        <source>超期督办…</source>
        <translation>Overdue requests…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="130" />
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="131" />
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="185" />
        <source>界面语言将在下次启动时生效</source>
        <translation>The language changes at the next start</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="197" />
        <source>待上传 %n 项</source>
        <translation>
            <numerusform>%n actions waiting to upload</numerusform>
            <numerusform>%n actions waiting to upload</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="198" />
        <source>无待上传操作</source>
        <translation>Nothing waiting to upload</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="201" />
        <source>上次同步</source>
        <translation>Last sync</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="203" />
        <source>⚠ 本机时钟与服务器相差 %1 分钟，倒计时按服务器时间显示</source>
        <translation>⚠ This PC's clock is %1 min off the server's; countdowns use server time</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="214" />
        <source>重新登录</source>
        <translation>Log in again</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="215" />
        <source>登录已失效，请输入密码重新登录（未上传的操作会保留）：</source>
        <translation>Your session ended. Enter your password to log in again (unsent actions are kept):</translation>
    </message>
</context>
<context>
    <name>NotificationCenter</name>
    <message numerus="yes">
        <location filename="../../ui/notify.py" line="385" />
        <source>另有 %n 条新消息</source>
        <translation>
            <numerusform>%n more new messages</numerusform>
            <numerusform>%n more new messages</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="386" />
        <source>请查看收件箱、已发起和冲突页。</source>
        <translation>See Inbox, Sent and Conflicts.</translation>
    </message>
</context>
<context>
    <name>OverdueWindow</name>
    <message>
        <location filename="../../ui/overdue.py" line="99" />
        <source>一窗协同 — 超期督办提醒</source>
        <translation>WindowDesk — Overdue requests</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="113" />
        <source>目前没有超期的协同请求。</source>
        <translation>No request is overdue now.</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="116" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="116" />
        <location filename="../../ui/overdue.py" line="300" />
        <source>协同请求</source>
        <translation>Request</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="116" />
        <location filename="../../ui/overdue.py" line="304" />
        <source>现在由</source>
        <translation>Now with</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="116" />
        <location filename="../../ui/overdue.py" line="305" />
        <source>期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="137" />
        <source>办理经过</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="139" />
        <source>未完成办件信息情况</source>
        <translation>Unfinished case</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="153" />
        <source>督办…</source>
        <translation>Supervise…</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="154" />
        <source>给承办部门留言督促办理，记入办理经过</source>
        <translation>Leave the handling department a note to press it; it goes into the history</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="156" />
        <source>在主窗口打开</source>
        <translation>Open in the main window</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="158" />
        <source>知道了</source>
        <translation>Got it</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="160" />
        <source>关闭提醒；有新超期的请求时会再次弹出</source>
        <translation>Close; it comes back when another request becomes overdue</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="165" />
        <source>每件超期请求只弹出提醒一次；有新超期的请求时本窗口会再次弹出。可在菜单「查看 → 超期督办」中随时打开。</source>
        <translation>Each overdue request pops up once; this window comes back when another becomes overdue. Open it any time from View → Overdue requests.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/overdue.py" line="238" />
        <source>%n 件协同请求已超期，请督促尽快答复</source>
        <translation>
            <numerusform>%n requests are overdue; please press for an answer</numerusform>
            <numerusform>%n requests are overdue; please press for an answer</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="239" />
        <source>超期督办</source>
        <translation>Overdue escalation</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="247" />
        <source>超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="249" />
        <source>（新）</source>
        <translation> (new)</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="251" />
        <source>（未签收）</source>
        <translation> (not accepted)</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="258" />
        <source>%1 发起：%2</source>
        <translation>From %1: %2</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="290" />
        <source>尚未签收</source>
        <translation>Not accepted yet</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="292" />
        <source>已超期 %1（工作时间）</source>
        <translation>%1 overdue (working time)</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="293" />
        <source>到期提醒 %1 次 · 催办 %2 次 · 督办 %3 次</source>
        <translation>Reminders %1 · Urged %2 · Supervised %3</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="298" />
        <source>服务器已发出超期督办通知</source>
        <translation>The server has escalated it</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="299" />
        <source>本机倒计时（尚未收到服务器的超期督办通知）</source>
        <translation>This PC's countdown (the server's escalation has not arrived yet)</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="301" />
        <source>办件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="302" />
        <source>发起</source>
        <translation>Sent by</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="303" />
        <source>签收</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="306" />
        <source>提醒与催办</source>
        <translation>Reminders and urges</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="307" />
        <source>判定依据</source>
        <translation>Based on</translation>
    </message>
    <message>
        <location filename="../../ui/overdue.py" line="341" />
        <source>已督办 %1「%2」，联网后送达服务器</source>
        <translation>Pressed %1 on "%2"; it reaches the server once online</translation>
    </message>
</context>
<context>
    <name>PanelNotifier</name>
    <message>
        <location filename="../../ui/notify.py" line="222" />
        <source>消息提醒</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="228" />
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="230" />
        <source>收起</source>
        <translation>Hide</translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="248" />
        <source>暂无新消息</source>
        <translation>No new messages</translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="250" />
        <source>点击一条消息即可打开对应事项</source>
        <translation>Click a message to open its item</translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="260" />
        <source>一窗协同 — 消息提醒</source>
        <translation>WindowDesk — Notifications</translation>
    </message>
</context>
<context>
    <name>PreviewWindow</name>
    <message>
        <location filename="../../ui/detail.py" line="942" />
        <source>预览 — </source>
        <translation>Preview — </translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="964" />
        <source>该格式不能在这里预览。请关闭本窗口，点“打开”用本机程序查看。</source>
        <translation>This format cannot be previewed here. Close this window and click Open.</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="185" />
        <source>（选填）</source>
        <translation>(optional)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="190" />
        <source>请填写</source>
        <translation>Please fill in</translation>
    </message>
</context>
<context>
    <name>ReceiptDialog</name>
    <message>
        <location filename="../../ui/receipt.py" line="257" />
        <source>受理回执 — %s</source>
        <translation>Receipt — %s</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="267" />
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="268" />
        <source>另存为PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="269" />
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="276" />
        <source>版式：</source>
        <translation>Layout:</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="315" />
        <source>已发送到打印机 %s</source>
        <translation>Sent to printer %s</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="326" />
        <source>保存失败：%s</source>
        <translation>Could not save: %s</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="330" />
        <source>保存失败：无法写入 %s</source>
        <translation>Could not save: cannot write %s</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.py" line="333" />
        <source>已保存到 %s</source>
        <translation>Saved to %s</translation>
    </message>
</context>
<context>
    <name>RectificationCallbackDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="440" />
        <source>例如：约谈经办人，完善一次性告知清单</source>
        <translation>e.g. talked to the clerk; completed the one-time checklist</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="451" />
        <source>差评时间 %1 之后，不晚于现在</source>
        <translation>after the rating (%1), not later than now</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="468" />
        <source>%1：整改完成。%2：整改继续，须再次回访。</source>
        <translation>%1: rectified. %2: the rectification goes on; call again.</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="475" />
        <source>申请人的意见、联系情况</source>
        <translation>What the citizen said; how they were reached</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="476" />
        <source>整改措施</source>
        <translation>Measures taken</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="477" />
        <source>回访人</source>
        <translation>who called</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="478" />
        <source>回访时间</source>
        <translation>Called at</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="479" />
        <source>回访结果</source>
        <translation>Callback outcome</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="480" />
        <source>回访记录（选填）</source>
        <translation>Callback notes (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="488" />
        <source>请填写整改措施</source>
        <translation>Please describe the measures taken</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="490" />
        <source>请填写回访人</source>
        <translation>Please say who called</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="492" />
        <source>请选择回访结果</source>
        <translation>Please choose the outcome</translation>
    </message>
</context>
<context>
    <name>ReplyDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="209" />
        <source>写明办理结果或提供的材料</source>
        <translation>The result, or the material provided</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="212" />
        <source>添加附件…</source>
        <translation>Add attachment…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="214" />
        <source>移除所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="220" />
        <source>支持 %1，单个不超过 20 MB</source>
        <translation>%1, at most 20 MB each</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="227" />
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="234" />
        <source>正在添加 %1…</source>
        <translation>Adding %1…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="276" />
        <source>请填写</source>
        <translation>Please fill in</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <location filename="../../ui/dashboard.py" line="446" />
        <source>数据截至 %1月%2日 %3</source>
        <translation>Data as of %1/%2 %3</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="448" />
        <source>（离线，显示缓存）</source>
        <translation> (offline, cached)</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="454" />
        <source>只有部门领导和管理员可以查看统计</source>
        <translation>Only department leaders and administrators can see statistics</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="460" />
        <source>登录已失效，请重新登录后再刷新</source>
        <translation>Your session ended; log in again, then refresh</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="462" />
        <source>无法获取数据：%1</source>
        <translation>Cannot fetch the data: %1</translation>
    </message>
</context>
<context>
    <name>RequestDetail</name>
    <message>
        <location filename="../../ui/detail.py" line="132" />
        <source>请选择一条协同请求</source>
        <translation>Select a request</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="155" />
        <source>本机没有这条协同请求（可能尚未同步，或已无权查看）</source>
        <translation>This request is not on this PC (not synced yet, or no longer visible)</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="262" />
        <location filename="../../ui/detail.py" line="412" />
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="268" />
        <source>已退回，计时暂停（补正后恢复：%1）</source>
        <translation>Sent back, clock paused (resumes after correction: %1)</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="272" />
        <source>计时已结束（%1）</source>
        <translation>Clock stopped (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="275" />
        <source>　交件期限 %1</source>
        <translation>  Due %1</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="287" />
        <source>您当前没有可执行的操作</source>
        <translation>There is nothing you can do with it now</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="293" />
        <source>请求：</source>
        <translation>Request: </translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="294" />
        <source>办件：</source>
        <translation>Case:</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="335" />
        <source>需要提供</source>
        <translation>Needed</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="338" />
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="339" />
        <source>没有附件</source>
        <translation>No attachments</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="346" />
        <source>办件信息</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="347" />
        <source>会商确定</source>
        <translation>After consultation</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="348" />
        <source>未指定</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="372" />
        <source>差评整改</source>
        <translation>Rectification</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="379" />
        <source>整改部门</source>
        <translation>Rectifying dept.</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="380" />
        <source>评价</source>
        <translation>Rating</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="381" />
        <source>差评时间</source>
        <translation>Rated at</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="382" />
        <source>整改期限</source>
        <translation>Rectify by</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="383" />
        <source>不满意的方面</source>
        <translation>Unsatisfactory aspects</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="383" />
        <source>未勾选</source>
        <translation>none ticked</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="384" />
        <source>整改措施</source>
        <translation>Measures taken</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="384" />
        <source>差评原因</source>
        <translation>Reason for the bad rating</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="385" />
        <source>回访</source>
        <translation>Callback</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="387" />
        <source>申诉</source>
        <translation>Appeal</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="387" />
        <source>（%1 %2）</source>
        <translation> (%1 %2)</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="391" />
        <source>裁决</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="392" />
        <source>（%1）</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="397" />
        <source>%1 %2 回访：%3</source>
        <translation>%1 %2 called: %3</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="399" />
        <source>（整改完成）</source>
        <translation> (rectified)</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="399" />
        <source>（整改继续）</source>
        <translation> (rectification goes on)</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="401" />
        <source>；记录：%1</source>
        <translation>; note: %1</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="402" />
        <source>；%1 登记</source>
        <translation>; recorded by %1</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="408" />
        <source>（%1 结束）</source>
        <translation> (closed %1)</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="415" />
        <source>，申诉期间整改期限照常计算</source>
        <translation>; the deadline runs on during the appeal</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="416" />
        <source>　整改期限 %1</source>
        <translation>   rectify by %1</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="422" />
        <source>回复</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="459" />
        <source>办理经过（按服务器时间）</source>
        <translation>History (server time)</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="475" />
        <source>不能%1</source>
        <translation>Cannot %1</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="507" />
        <source>正在下载…</source>
        <translation>Downloading…</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="522" />
        <source>下载失败</source>
        <translation>Download failed</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="524" />
        <source>无法获取附件</source>
        <translation>Cannot fetch the attachment</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="525" />
        <source>附件 %1 下载失败：%2</source>
        <translation>Attachment %1 failed to download: %2</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="533" />
        <source>无法打开</source>
        <translation>Cannot open</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="534" />
        <source>本机没有能打开该文件的程序：%1</source>
        <translation>No program on this PC opens this file: %1</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="547" />
        <source>已保存到 %1</source>
        <translation>Saved to %1</translation>
    </message>
</context>
<context>
    <name>RequestTableModel</name>
    <message>
        <location filename="../../ui/inbox.py" line="299" />
        <source>（截止 %1，按工作时间计）</source>
        <translation> (due %1, in working time)</translation>
    </message>
    <message>
        <location filename="../../ui/inbox.py" line="305" />
        <source>（退回补正期间不计时，补正后接着计）</source>
        <translation> (the clock stops while sent back and goes on after correction)</translation>
    </message>
    <message>
        <location filename="../../ui/inbox.py" line="310" />
        <source>协同事项：</source>
        <translation>Subject: </translation>
    </message>
    <message>
        <location filename="../../ui/inbox.py" line="312" />
        <source>本机的操作尚未上传到服务器，联网后自动上传</source>
        <translation>This PC's action is not uploaded yet; it will be once online</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../../ui/detail.py" line="915" />
        <source>本机操作，尚未上传到服务器；显示的是本机记录的时间</source>
        <translation>Done on this PC, not yet uploaded; the time shown is this PC's</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="918" />
        <source>暂无记录</source>
        <translation>No records</translation>
    </message>
</context>
<context>
    <name>TrayNotifier</name>
    <message>
        <location filename="../../ui/notify.py" line="112" />
        <source>打开一窗协同</source>
        <translation>Open WindowDesk</translation>
    </message>
    <message>
        <location filename="../../ui/notify.py" line="133" />
        <source>一窗协同</source>
        <translation>WindowDesk</translation>
    </message>
</context>
<context>
    <name>UnsatisfiedModel</name>
    <message>
        <location filename="../../ui/unsatisfied.py" line="94" />
        <source>倒计时</source>
        <translation>Time left</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="94" />
        <source>整改期限</source>
        <translation>Rectify by</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="95" />
        <source>整改状态</source>
        <translation>Rectification</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="95" />
        <source>评价</source>
        <translation>Rating</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="96" />
        <source>对方部门</source>
        <translation>Other department</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="96" />
        <source>事项</source>
        <translation>Matter</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="97" />
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="97" />
        <source>不满意的方面</source>
        <translation>Unsatisfactory aspects</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="98" />
        <source>差评原因</source>
        <translation>Reason for the bad rating</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="151" />
        <source>%1（评价方）</source>
        <translation>%1 (rated)</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="151" />
        <source>%1（整改方）</source>
        <translation>%1 (to rectify)</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="163" />
        <source>%1 须在 %2 前整改并回访（%3 评价）</source>
        <translation>%1 must put it right and call back by %2 (rated by %3)</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="165" />
        <source>协同事项：</source>
        <translation>Subject: </translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="167" />
        <source>办件编号：</source>
        <translation>Case no.: </translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="168" />
        <source>差评原因：</source>
        <translation>Reason for the bad rating: </translation>
    </message>
</context>
<context>
    <name>UnsatisfiedPage</name>
    <message>
        <location filename="../../ui/unsatisfied.py" line="195" />
        <source>显示已整改和申诉成立的</source>
        <translation>Show rectified and annulled ones</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="221" />
        <source>重新办理…</source>
        <translation>Reopen…</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="291" />
        <source>读取本地缓存失败：%1</source>
        <translation>Could not read the local cache: %1</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="298" />
        <source>没有待整改的差评</source>
        <translation>No unsatisfied ratings to put right</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="300" />
        <source>待整改 %1 件</source>
        <translation>%1 to put right</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="303" />
        <source>（其中申诉中 %1 件）</source>
        <translation> (%1 under appeal)</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="306" />
        <source>已超期 %1 件</source>
        <translation>%1 overdue</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="311" />
        <source>共 %1 条</source>
        <translation>%1 in all</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="368" />
        <source>请 %1 重新办理，整改照常进行</source>
        <translation>Ask %1 to handle it again; the rectification goes on</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="369" />
        <source>评价部门可对仍然有效的差评重新办理；选中一条后可用</source>
        <translation>The rating department may reopen a request whose bad rating stands; select one first</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="383" />
        <source>不能重新办理</source>
        <translation>Cannot reopen</translation>
    </message>
    <message>
        <location filename="../../ui/unsatisfied.py" line="386" />
        <source>已请 %1 重新办理，联网后送达</source>
        <translation>Asked %1 to handle it again; sent when online</translation>
    </message>
</context>
<context>
    <name>UrgeDialog</name>
    <message>
        <location filename="../../ui/actions.py" line="550" />
        <source>例如：申请人在窗口等候，请尽快办理</source>
        <translation>e.g. the citizen is waiting at the counter, please hurry</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="551" />
        <source>留言（选填）</source>
        <translation>Note (optional)</translation>
    </message>
</context>
<context>
    <name>_Card</name>
    <message>
        <location filename="../../ui/notify.py" line="193" />
        <source>点击打开</source>
        <translation>Click to open</translation>
    </message>
</context>
<context><name>WindowDesk</name><message><source>12345热线</source><translation>12345 hotline</translation></message><message><source>PDF、JPG、PNG、OFD</source><translation>PDF, JPG, PNG, OFD</translation></message><message><source>{action}需要{roles}权限，{name}没有该权限</source><translation>"{action}" needs the role {roles}; {name} does not have it</translation></message><message><source>{action}：{name} 应为带时区的 ISO 8601 时间</source><translation>{action}: {name} must be an ISO 8601 time with a time zone</translation></message><message><source>{action}：{name} 过长（最多 {most} 字）</source><translation>{action}: {name} is too long (at most {most} characters)</translation></message><message><source>{action}：不认识的参数 {names}</source><translation>{action}: unknown parameters {names}</translation></message><message><source>{action}：参数 {name} 的格式不正确</source><translation>{action}: parameter {name} is malformed</translation></message><message><source>{action}：没有编码为 {code} 的部门</source><translation>{action}: there is no department with code {code}</translation></message><message><source>{action}：缺少参数 {name}</source><translation>{action}: parameter {name} is missing</translation></message><message><source>{action}：请填写{what}</source><translation>{action}: please fill in {what}</translation></message><message><source>{a}
{b}</source><translation>{a}
{b}</translation></message><message><source>{a}、{b}</source><translation>{a}, {b}</translation></message><message><source>{a}或{b}</source><translation>{a} or {b}</translation></message><message><source>{a}；{b}</source><translation>{a}; {b}</translation></message><message><source>{body}
请在「超期督办」窗口查看办理经过并督办。</source><translation>{body}
See their history and follow them up in the Overdue window.</translation></message><message><source>{body} 等</source><translation>{body} and more</translation></message><message><source>{caller} {called_at} 回访：{outcome}</source><translation>{caller} called back {called_at}: {outcome}</translation></message><message><source>{case} · {rest}</source><translation>{case} · {rest}</translation></message><message><source>{category}件的期限由类别决定，只有复杂件会商确定期限</source><translation>A {category} case's deadline comes from its category; only complex cases get one by consultation</translation></message><message><source>{count} 件协同请求已超期：{items}</source><translation>{count} requests are overdue: {items}</translation></message><message><source>{department} {state}</source><translation>{department} {state}</translation></message><message><source>{department} 已超期 {late}，已通知部门领导</source><translation>{department} is {late} overdue; the department leader was told</translation></message><message><source>{department} 未在 {due} 前答复您的请求「{subject}」。可在「已发起」中催办。
{case}</source><translation>{department} did not answer your request "{subject}" by {due}. You can urge them from Sent.
{case}</translation></message><message><source>{department} 的请求「{subject}」已于 {due} 到期，请尽快答复；部门领导会收到督办提醒。
{case}</source><translation>The request "{subject}" from {department} was due {due}; please answer soon. The department leader will be asked to follow it up.
{case}</translation></message><message><source>{department} 的请求「{subject}」还剩 {left}（工作时间），请在 {due} 前答复。
{case}</source><translation>The request "{subject}" from {department} has {left} left (working time); please answer by {due}.
{case}</translation></message><message><source>{department} 请求：{subject}</source><translation>{department} asks: {subject}</translation></message><message><source>{department} 须在 {due} 前整改并回访</source><translation>{department} must rectify and call back by {due}</translation></message><message><source>{explanation}
请到「冲突」页查看处理。</source><translation>{explanation}
See the Conflicts page.</translation></message><message><source>{hint}，当前为{length}位</source><translation>{hint}; this one has {length}</translation></message><message><source>{hours}小时</source><translation>{hours} h</translation></message><message><source>{hours}小时{minutes:02d}分</source><translation>{hours} h {minutes:02d} min</translation></message><message><source>{label}（{value}）</source><translation>{label} ({value})</translation></message><message><source>{label}：{value}</source><translation>{label}: {value}</translation></message><message><source>{minutes}分钟</source><translation>{minutes} min</translation></message><message><source>{month}月{day}日 {time:%H:%M}</source><translation>{month}/{day} {time:%H:%M}</translation></message><message><source>{name}不属于任何部门，不能{action}</source><translation>{name} belongs to no department and cannot do "{action}"</translation></message><message><source>{reason}{note}：{old} → {new}</source><translation>{reason}{note}: {old} → {new}</translation></message><message><source>{reason}。您的「{action}」未生效。</source><translation>{reason}. Your "{action}" did not take effect.</translation></message><message><source>{reason}。现在：{now}。您的「{action}」未生效。</source><translation>{reason}. Now: {now}. Your "{action}" did not take effect.</translation></message><message><source>{reason}，保留剩余 {left}</source><translation>{reason}, {left} kept</translation></message><message><source>{source} → {target}；原因：{reason}</source><translation>{source} → {target}; reason: {reason}</translation></message><message><source>{state}，{recent}</source><translation>{state}, {recent}</translation></message><message><source>{subject}（{case}）</source><translation>{subject} ({case})</translation></message><message><source>{text}{files}{on_time}</source><translation>{text}{files}{on_time}</translation></message><message><source>{what}只能是：{options}</source><translation>{what} must be one of: {options}</translation></message><message><source>{who} 催办请求「{subject}」{note}
{case}</source><translation>{who} urged the request "{subject}"{note}
{case}</translation></message><message><source>{who} 回复了您的请求「{subject}」{text}
请查看并确认评价。{case}</source><translation>{who} replied to your request "{subject}"{text}
Please read it, confirm and rate. {case}</translation></message><message><source>{who} 对请求「{subject}」的答复评价为「{label}」{comment}
本部门须在 {due} 前整改并回访。
{case}</source><translation>{who} rated the answer to the request "{subject}" "{label}"{comment}
Your department must put it right and call the citizen back by {due}.
{case}</translation></message><message><source>{who} 督办请求「{subject}」{note}
{case}</source><translation>{who} asked for the request "{subject}" to be followed up{note}
{case}</translation></message><message><source>○ 离线</source><translation>○ Offline</translation></message><message><source>● 在线</source><translation>● Online</translation></message><message><source>⚠ 需要重新登录</source><translation>⚠ Please log in again</translation></message><message><source>⟳ 同步中</source><translation>⟳ Syncing</translation></message><message><source>。</source><translation>.</translation></message><message><source>「{subject}」超期 {late}</source><translation>"{subject}" {late} overdue</translation></message><message><source>一般</source><translation>General</translation></message><message><source>不满意</source><translation>Unsatisfied</translation></message><message><source>不满意的原因</source><translation>why you are unsatisfied</translation></message><message><source>不能办理的原因（将告知申请人）</source><translation>why it cannot be done (the applicant will be told)</translation></message><message><source>不能向本部门发起协同</source><translation>You cannot send a request to your own department</translation></message><message><source>不足1小时</source><translation>Under 1 h</translation></message><message><source>主办</source><translation>Lead</translation></message><message><source>事项</source><translation>Matter</translation></message><message><source>事项清单中没有编码为 {code} 的事项</source><translation>The catalogue has no matter with code {code}</translation></message><message><source>仅支持中国大陆号码（+86）</source><translation>Only mainland China numbers (+86) are accepted</translation></message><message><source>今天</source><translation>Today</translation></message><message><source>仍需整改</source><translation>still to be rectified</translation></message><message><source>会商确定</source><translation>After consultation</translation></message><message><source>会商确定期限</source><translation>Deadline set by consultation</translation></message><message><source>会商结论</source><translation>the outcome of the consultation</translation></message><message><source>信箱</source><translation>Mailbox</translation></message><message><source>倒计时</source><translation>Time left</translation></message><message><source>催 {department} 办理</source><translation>Urged {department}</translation></message><message><source>催办</source><translation>Urge</translation></message><message><source>全部</source><translation>All</translation></message><message><source>出生日期 {digits} 不是有效日期</source><translation>The birth date {digits} is not a real date</translation></message><message><source>出生日期 {digits} 早于1900年1月1日，请核对</source><translation>The birth date {digits} is before 1 January 1900; please check</translation></message><message><source>出生日期 {digits} 晚于今天，请核对</source><translation>The birth date {digits} is after today; please check</translation></message><message><source>分机号应为1至6位数字</source><translation>An extension has 1 to 6 digits</translation></message><message><source>到期提醒</source><translation>Deadline reminder</translation></message><message><source>剩余 {hours}小时{minutes:02d}分</source><translation>{hours} h {minutes:02d} min left</translation></message><message><source>剩余 {minutes}分钟</source><translation>{minutes} min left</translation></message><message><source>办件 / 请求</source><translation>Case / request</translation></message><message><source>办件 {number}</source><translation>Case {number}</translation></message><message><source>办件 {old} → {new}</source><translation>Case {old} → {new}</translation></message><message><source>办件期限</source><translation>Case deadline</translation></message><message><source>办件材料</source><translation>Case files</translation></message><message><source>办件类别</source><translation>Category</translation></message><message><source>办件编号</source><translation>Case no.</translation></message><message><source>办件编号 {number}，渠道 {channel}，类别 {category}，期限 {due}</source><translation>Case no. {number}, channel {channel}, category {category}, due {due}</translation></message><message><source>办件（本机暂无）</source><translation>Case (not on this PC yet)</translation></message><message><source>办理中</source><translation>In progress</translation></message><message><source>办理人</source><translation>By</translation></message><message><source>办理期限应晚于当前时间</source><translation>The deadline must be later than now</translation></message><message><source>办理结果</source><translation>the result</translation></message><message><source>办理结果：{result}{on_time}</source><translation>Result: {result}{on_time}</translation></message><message><source>办结</source><translation>Complete</translation></message><message><source>办结或告知后才能回访</source><translation>call back only after it is completed or explained</translation></message><message><source>办结率</source><translation>Completion rate</translation></message><message><source>区号不正确，例如 010、021、0571</source><translation>The area code is wrong; e.g. 010, 021, 0571</translation></message><message><source>协办</source><translation>Assisting</translation></message><message><source>协同事项</source><translation>the subject</translation></message><message><source>协同情况</source><translation>Requests</translation></message><message><source>协同角色只能是主办（lead）或协办（assisting）</source><translation>The role must be lead or assisting</translation></message><message><source>协同请求已超期</source><translation>Request overdue</translation></message><message><source>协同请求需重新办理</source><translation>Request to handle again</translation></message><message><source>协同请求（本机已无记录）</source><translation>Request (no longer on this PC)</translation></message><message><source>即将到期：剩余不足{threshold}</source><translation>Due soon: less than {threshold} left</translation></message><message><source>原因</source><translation>Reason</translation></message><message><source>原因与现状</source><translation>Reason and state now</translation></message><message><source>发往</source><translation>To</translation></message><message><source>发往 {department}：{subject}（{case}）</source><translation>To {department}: {subject} ({case})</translation></message><message><source>发起协同</source><translation>Send request</translation></message><message><source>发起时间</source><translation>Sent</translation></message><message><source>受理时间</source><translation>Registered</translation></message><message><source>受理渠道</source><translation>Channel</translation></message><message><source>受理登记</source><translation>Intake</translation></message><message><source>只有{departments}可以{action}该办件</source><translation>Only {departments} can do "{action}" on this case</translation></message><message><source>只有{departments}可以为该办件发起协同</source><translation>Only {departments} can send requests for this case</translation></message><message><source>只有{department}可以{action}该请求</source><translation>Only {department} can do "{action}" on this request</translation></message><message><source>只有{department}的部门领导可以裁决该申诉</source><translation>Only the head of {department} can decide this appeal</translation></message><message><source>只有发起部门{department}可以{action}该请求</source><translation>Only the requesting department, {department}, can do "{action}" on this request</translation></message><message><source>只有评价为不满意的请求可以重新办理</source><translation>Only a request rated unsatisfied can be reopened</translation></message><message><source>名次</source><translation>Rank</translation></message><message><source>告知</source><translation>Explain</translation></message><message><source>回复</source><translation>Reply</translation></message><message><source>回复/办结</source><translation>Reply/Complete</translation></message><message><source>回复内容</source><translation>the reply</translation></message><message><source>回复附件</source><translation>Reply files</translation></message><message><source>回访</source><translation>Callback</translation></message><message><source>回访人</source><translation>who called</translation></message><message><source>回访时间应在差评之后、现在之前</source><translation>The callback time must be after the rating and not in the future</translation></message><message><source>回访率</source><translation>Callback rate</translation></message><message><source>回访结果为不满意时才能重新办理</source><translation>A case can be reopened only after an unsatisfied callback</translation></message><message><source>回访结果只能是：{outcomes}</source><translation>The callback outcome must be one of: {outcomes}</translation></message><message><source>回访结果：{outcome}</source><translation>Callback outcome: {outcome}</translation></message><message><source>基本满意</source><translation>Mostly satisfied</translation></message><message><source>复杂</source><translation>Complex</translation></message><message><source>复杂件的期限由主办部门{department}会商确定</source><translation>A complex case's deadline is set by consultation at its lead department, {department}</translation></message><message><source>复杂件：会商后确定</source><translation>Complex: set after consultation</translation></message><message><source>对方已回复</source><translation>Reply received</translation></message><message><source>对方已超期</source><translation>The other side is overdue</translation></message><message><source>工作人员</source><translation>Staff member</translation></message><message><source>工作日历调整，重算期限</source><translation>Working calendar changed, deadline recomputed</translation></message><message><source>差评数</source><translation>Unsatisfied</translation></message><message><source>差评整改</source><translation>Rectification</translation></message><message><source>已办结</source><translation>Done</translation></message><message><source>已受理</source><translation>Registered</translation></message><message><source>已告知</source><translation>Explained</translation></message><message><source>已回复</source><translation>Replied</translation></message><message><source>已完成</source><translation>Finished</translation></message><message><source>已撤回</source><translation>Withdrawn</translation></message><message><source>已整改</source><translation>Rectified</translation></message><message><source>已暂停</source><translation>Paused</translation></message><message><source>已有一条延期申请等待批准，不能重复申请</source><translation>An extension request is already waiting for approval</translation></message><message><source>已超期</source><translation>Overdue</translation></message><message><source>已转办</source><translation>Forwarded</translation></message><message><source>已退回</source><translation>Sent back</translation></message><message><source>带+86的只能是11位手机号；座机号请直接填写区号，例如 0571-87654321</source><translation>After +86 only an 11-digit mobile number may follow; give a landline with its area code, e.g. 0571-87654321</translation></message><message><source>平均回复用时（工作小时）</source><translation>Avg. reply time (working hours)</translation></message><message><source>平均用时</source><translation>Avg. time</translation></message><message><source>平均评价（星）</source><translation>Avg. rating (stars)</translation></message><message><source>座机号区号后的号码不能以0或1开头，请核对</source><translation>A landline number after the area code cannot start with 0 or 1; please check</translation></message><message><source>座机号区号后的号码应为7至8位，当前为{length}位</source><translation>A landline number after the area code has 7 or 8 digits; this one has {length}</translation></message><message><source>座机号格式不正确，例如 0571-87654321 或 0571-87654321转123</source><translation>The landline number is malformed; e.g. 0571-87654321 or 0571-87654321转123</translation></message><message><source>座机号请包含区号，例如 0571-87654321</source><translation>Give a landline with its area code, e.g. 0571-87654321</translation></message><message><source>延期 {hours} 个工作小时</source><translation>Extended by {hours} working hours</translation></message><message><source>延期 {hours} 个工作小时；原因：{reason}</source><translation>Extend by {hours} working hours; reason: {reason}</translation></message><message><source>延期原因</source><translation>Reason for the extension</translation></message><message><source>延期时长应在 0 到 {most} 个工作小时之间</source><translation>The extension must be more than 0 and at most {most} working hours</translation></message><message><source>开始协同</source><translation>Collaboration started</translation></message><message><source>当前超期</source><translation>Overdue now</translation></message><message><source>待同步</source><translation>Not synced</translation></message><message><source>待签收</source><translation>To accept</translation></message><message><source>急件</source><translation>Urgent</translation></message><message><source>意见</source><translation>Comment</translation></message><message><source>截止时间</source><translation>Due</translation></message><message><source>手机号不能带分机号</source><translation>A mobile number has no extension</translation></message><message><source>手机号应为11位，以1开头</source><translation>A mobile number has 11 digits and starts with 1</translation></message><message><source>手机号格式不正确，数字之间最多用一个空格或连字符分隔</source><translation>The mobile number is malformed; separate digits by at most one space or hyphen</translation></message><message><source>手机号第2位应为3至9，请核对</source><translation>The second digit of a mobile number is 3 to 9; please check</translation></message><message><source>批准延期</source><translation>Approve extension</translation></message><message><source>批准延期，延长期限</source><translation>Extension approved, deadline extended</translation></message><message><source>指标：{names}</source><translation>indicators: {names}</translation></message><message><source>按时回复</source><translation>Replied on time</translation></message><message><source>按时率</source><translation>On-time rate</translation></message><message><source>撤回</source><translation>Withdraw</translation></message><message><source>撤回原因</source><translation>the reason for withdrawing</translation></message><message><source>操作</source><translation>Action</translation></message><message><source>操作参数必须是对象</source><translation>The action's parameters must be an object</translation></message><message><source>操作未生效</source><translation>Action not applied</translation></message><message><source>操作未生效：{action}</source><translation>Not applied: {action}</translation></message><message><source>收件数</source><translation>Received</translation></message><message><source>收到催办</source><translation>Urged</translation></message><message><source>收到督办</source><translation>Supervision received</translation></message><message><source>整体满意度</source><translation>Overall</translation></message><message><source>整改中</source><translation>Rectifying</translation></message><message><source>整改回访</source><translation>Rectification callback</translation></message><message><source>整改完成</source><translation>rectified</translation></message><message><source>整改措施</source><translation>Measures taken</translation></message><message><source>整改率</source><translation>Rectification rate</translation></message><message><source>文件 {name} 是空的</source><translation>The file {name} is empty</translation></message><message><source>文件 {name} 的格式不受支持，仅支持 {accepted}</source><translation>The file {name} has an unsupported format; only {accepted}</translation></message><message><source>文件 {name} 超过 {most} MB</source><translation>The file {name} is larger than {most} MB</translation></message><message><source>新办件（{name}）</source><translation>New case ({name})</translation></message><message><source>新的协同请求</source><translation>New request</translation></message><message><source>无</source><translation>none</translation></message><message><source>时间</source><translation>Time</translation></message><message><source>时限规则「{policy}」不能用于协同请求</source><translation>The time limit rule "{policy}" cannot be used for requests</translation></message><message><source>最近由 {who} {verb}（{when}）</source><translation>last action "{verb}" by {who} ({when})</translation></message><message><source>服务器上没有此项</source><translation>Not on the server</translation></message><message><source>服务器拒绝了该操作</source><translation>The server refused this action</translation></message><message><source>服务器拒绝了该操作的格式：{message}</source><translation>The server refused the form of this action: {message}</translation></message><message><source>服务器现状</source><translation>On the server now</translation></message><message><source>服务态度</source><translation>Attitude</translation></message><message><source>服务效率</source><translation>Efficiency</translation></message><message><source>服务水平</source><translation>Competence</translation></message><message><source>未下载</source><translation>Not downloaded</translation></message><message><source>未生效的操作</source><translation>Action not applied</translation></message><message><source>未知的操作类型：{op_type}</source><translation>Unknown action type: {op_type}</translation></message><message><source>未联系上</source><translation>Not reached</translation></message><message><source>本周</source><translation>This week</translation></message><message><source>本月</source><translation>This month</translation></message><message><source>本机没有该办件</source><translation>This PC does not have this case</translation></message><message><source>本机没有该协同请求</source><translation>This PC does not have this request</translation></message><message><source>来自</source><translation>From</translation></message><message><source>校验位不正确，请逐位核对号码</source><translation>The check digit is wrong; please check the number digit by digit</translation></message><message><source>正常</source><translation>On time</translation></message><message><source>没有名为 {sla} 的时限规则</source><translation>There is no time limit rule named {sla}</translation></message><message><source>没有找到该办件</source><translation>Case not found</translation></message><message><source>没有找到该办件，无法打印回执</source><translation>Case not found; the receipt cannot be printed</translation></message><message><source>没有找到该协同请求</source><translation>Request not found</translation></message><message><source>满意</source><translation>Satisfied</translation></message><message><source>状态</source><translation>State</translation></message><message><source>申诉</source><translation>Appeal</translation></message><message><source>申诉中</source><translation>Under appeal</translation></message><message><source>申诉成立</source><translation>Appeal upheld</translation></message><message><source>申诉成立，差评撤销</source><translation>appeal upheld, rating annulled</translation></message><message><source>申诉理由</source><translation>Grounds of appeal</translation></message><message><source>申诉裁决</source><translation>Decide appeal</translation></message><message><source>申请人</source><translation>Applicant</translation></message><message><source>申请人姓名</source><translation>the applicant's name</translation></message><message><source>申请人姓名过长（最多 {most} 字）</source><translation>The applicant's name is too long (at most {most} characters)</translation></message><message><source>申请延期</source><translation>Request extension</translation></message><message><source>电话号码含有无效字符“{ch}”，只能填写数字、空格和连字符（-）</source><translation>The phone number has an invalid character "{ch}"; use only digits, spaces and hyphens (-)</translation></message><message><source>留言</source><translation>Note</translation></message><message><source>督办</source><translation>Supervise</translation></message><message><source>确认并评价</source><translation>Confirm and rate</translation></message><message><source>窗口</source><translation>Counter</translation></message><message><source>窗口人员</source><translation>Clerk</translation></message><message><source>签收</source><translation>Accept</translation></message><message><source>简易</source><translation>Simple</translation></message><message><source>系统管理员</source><translation>Administrator</translation></message><message><source>网上</source><translation>Online</translation></message><message><source>联络员</source><translation>Liaison</translation></message><message><source>自定义</source><translation>Custom</translation></message><message><source>补正后恢复计时</source><translation>Resubmitted, clock resumed</translation></message><message><source>补正后重新提交</source><translation>Resubmit</translation></message><message><source>补正说明</source><translation>what was corrected</translation></message><message><source>补正说明：{text}{files}</source><translation>Correction: {text}{files}</translation></message><message><source>裁决意见</source><translation>decision</translation></message><message><source>记录</source><translation>Notes</translation></message><message><source>设定办理期限</source><translation>Set deadline</translation></message><message><source>评价指标只能是：{indicators}（每项一次）</source><translation>Rating indicators can only be: {indicators} (each once)</translation></message><message><source>评价数</source><translation>Ratings</translation></message><message><source>评价请选择 1 到 5 星</source><translation>Please rate from 1 to 5 stars</translation></message><message><source>评价：{label}（{stars} 星）</source><translation>Rating: {label} ({stars} stars)</translation></message><message><source>该办件已{state}，不能再发起协同</source><translation>This case is "{state}": no more requests can be sent for it</translation></message><message><source>该办件已由{department}主办，只能再发协办请求</source><translation>{department} already leads this case; only assisting requests can be sent</translation></message><message><source>该办件当前为「{state}」，不能{action}{tail}</source><translation>This case is "{state}" now: "{action}" is not possible{tail}</translation></message><message><source>该办件编号已存在</source><translation>A case with this number already exists</translation></message><message><source>该整改当前为「{state}」，不能{action}</source><translation>This rectification is "{state}"; cannot {action}</translation></message><message><source>该请求当前为「{state}」，不能{action}{tail}</source><translation>This request is "{state}" now: "{action}" is not possible{tail}</translation></message><message><source>该请求没有差评整改，不能{action}</source><translation>This request has no rectification; cannot {action}</translation></message><message><source>该请求没有待批准的延期申请</source><translation>This request has no extension waiting for approval</translation></message><message><source>请 {department} {role}：{subject}；需要：{needed}{files}；期限 {due}</source><translation>Asked {department} ({role}): {subject}; needed: {needed}{files}; due {due}</translation></message><message><source>请先签收</source><translation>accept it first</translation></message><message><source>请在 {due} 前答复</source><translation>Please answer by {due}</translation></message><message><source>请填写联系电话</source><translation>Please fill in a phone number</translation></message><message><source>请填写身份证号码</source><translation>Please fill in the ID number</translation></message><message><source>请求材料</source><translation>Request files</translation></message><message><source>请转办给其他部门（不能转给本部门或发起部门）</source><translation>Forward it to another department (not your own, nor the requesting one)</translation></message><message><source>调整期限</source><translation>Deadline changed</translation></message><message><source>超期 {hours}小时{minutes:02d}分</source><translation>{hours} h {minutes:02d} min overdue</translation></message><message><source>超期 {minutes}分钟</source><translation>{minutes} min overdue</translation></message><message><source>超期数</source><translation>Overdue</translation></message><message><source>超期督办</source><translation>Overdue escalation</translation></message><message><source>超期督办提醒</source><translation>Overdue requests</translation></message><message><source>距离交件时间还有 {left}</source><translation>{left} left until the deadline</translation></message><message><source>身份证号码应为18位，当前为{length}位</source><translation>An ID number has 18 characters; this one has {length}</translation></message><message><source>身份证号码最后一位“{ch}”无效，应为数字或X</source><translation>The last character of the ID number, "{ch}", is invalid; it must be a digit or X</translation></message><message><source>身份证号码第1位不能为0</source><translation>An ID number cannot start with 0</translation></message><message><source>身份证号码第{position}位“{ch}”不是数字，前17位应全部为数字</source><translation>Character {position} of the ID number, "{ch}", is not a digit; the first 17 must all be digits</translation></message><message><source>转办</source><translation>Forward</translation></message><message><source>转办原因</source><translation>Reason for forwarding</translation></message><message><source>转办来的协同请求</source><translation>Request forwarded to you</translation></message><message><source>退回原因（需要补正什么）</source><translation>the reason for sending back (what must be corrected)</translation></message><message><source>退回补正</source><translation>Send back</translation></message><message><source>退回补正，暂停计时</source><translation>Sent back, clock paused</translation></message><message><source>部门</source><translation>Department</translation></message><message><source>部门领导</source><translation>Leader</translation></message><message><source>部门领导督办</source><translation>Supervised by the department leader</translation></message><message><source>重新办理</source><translation>Reopened</translation></message><message><source>重新办理的原因</source><translation>the reason for reopening</translation></message><message><source>重新计时</source><translation>Clock restarted</translation></message><message><source>附件-{sha}</source><translation>Attachment-{sha}</translation></message><message><source>需要对方提供的材料或意见</source><translation>What the other department must provide</translation></message><message><source>非常不满意</source><translation>Very unsatisfied</translation></message><message><source>非常满意</source><translation>Very satisfied</translation></message><message><source>预计办结：{due}（{days}个工作日）</source><translation>Expected completion: {due} ({days} working days)</translation></message><message><source>驳回延期</source><translation>Decline extension</translation></message><message><source>驳回申诉，继续整改</source><translation>appeal dismissed, rectification continues</translation></message><message><source>（{hint}）</source><translation> ({hint})</translation></message><message><source>（{note}）</source><translation> ({note})</translation></message><message><source>（待上传）</source><translation> (not uploaded)</translation></message><message><source>（按期）</source><translation> (on time)</translation></message><message><source>（超期）</source><translation> (late)</translation></message><message><source>，{hint}</source><translation>; {hint}</translation></message><message><source>：{said}</source><translation>: {said}</translation></message><message><source>；附件 {count} 个</source><translation>; {count} attachments</translation></message></context></TS>