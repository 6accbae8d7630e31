"""Every code a finding can carry: one catalog for validation, scoring, reading and checking.

A code is stable: tests, JSON consumers and users' notes refer to it. Each has its family
(the section of docs/rules.md it belongs to), a Chinese title, the severity it is reported
with (``None`` where the place that reports it chooses: file-reading problems are errors,
a few of them warnings) and, for the rules, a Chinese explanation. ``docs/rules.md`` is
generated from this catalog only, and a test checks that every code the source can emit is
listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from juesuan.core.findings import Severity

FAMILIES: dict[str, str] = {
    "totals": "合计与勾稽",
    "between": "表间关系",
    "catalog": "分类科目",
    "narrative": "说明完整性",
    "data": "数据合理性",
    "performance": "绩效自评",
    "load": "数据文件读取",
    "workbook": "填报工作簿读取",
    "system": "绩效指标体系文件",
    "check": "已公开文件的检查（juesuan check）",
    "read": "已公开文件的读取",
    "import": "分类科目目录导入（juesuan catalog import）",
    "serve": "在线服务的上传（juesuan serve）",
}
RULE_FAMILIES = ("totals", "between", "catalog", "narrative", "data", "performance")


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    family: str
    title: str
    severity: Severity | None = None
    doc: str = ""


_ALL: tuple[Code, ...] = (
    # -- the rule catalog (rules/): data validation and, for totals/between/catalog, the checker
    Code(
        "TOT-001",
        "totals",
        "报表列示数与明细计算数一致",
        Severity.ERROR,
        "数据中“报表列示数”（原文件列示的合计、类款行等数字），以及填报工作簿的总表中由公式列示、不作为数据读取的数（各类支出、本年收入（支出）合计、总计等，Excel 保存时的计算结果或改写的数字），与由明细（项级数据）计算出的数字比较；差额超过舍入容差（列示数0.005万元 + 各明细数的舍入误差之和）为错误；仅因舍入产生的差额归并为一条提示。情况说明中列示的数字须与报表列示数（或其分项之和）按两位小数完全一致，否则为警告（如政府采购总额与货物、工程、服务之和不符）。",
    ),
    Code(
        "TOT-002",
        "totals",
        "同一数字在不同表中列示一致",
        Severity.ERROR,
        "同一数字（同一编号）在不同报表或同一报表的不同位置列示的数值必须完全相同，即使差额在舍入容差之内。",
    ),
    Code(
        "TOT-003",
        "totals",
        "总计、财政拨款总计两侧相等，基本支出按经济分类与按功能分类一致",
        Severity.ERROR,
        "收入总计 = 支出总计；财政拨款收入总计 = 财政拨款支出总计；一般公共预算财政拨款基本支出（项目支出）按经济分类合计 = 按功能分类合计。",
    ),
    Code(
        "TOT-004",
        "totals",
        "收入决算表各列合计与本年收入一致",
        Severity.ERROR,
        "收入决算表按科目列示时，各科目的财政拨款收入之和应等于三类财政拨款收入之和，其他各列（上级补助、事业、经营、附属单位上缴、其他收入）之和应等于对应的本年收入。",
    ),
    Code(
        "TOT-005",
        "totals",
        "财政拨款结转结余勾稽",
        Severity.ERROR,
        "每类财政拨款：年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余（填报了本年收入时核对）。",
    ),
    Code(
        "TOT-006",
        "totals",
        "全部资金支出不小于财政拨款支出",
        Severity.ERROR,
        "支出决算表某科目的基本支出、项目支出（全部资金）不得小于该科目三类财政拨款对应支出之和。",
    ),
    Code(
        "BTW-001",
        "between",
        "经济分类科目不超过对应的“三公”经费",
        Severity.WARNING,
        "一般公共预算财政拨款支出中的 30212 因公出国（境）费用、30217 公务接待费、30231 公务用车运行维护费、31013 公务用车购置，不应大于“三公”经费决算中对应的数额（部分不大于整体）。",
    ),
    Code(
        "BTW-002",
        "between",
        "公务接待费等于国内接待与外事接待之和",
        Severity.ERROR,
        "“三公”经费中的公务接待费决算数 = 国内公务接待支出 + 外事接待支出（两者都填报时）。",
    ),
    Code(
        "BTW-003",
        "between",
        "购置车辆金额之和等于公务用车购置费",
        Severity.ERROR,
        "按车型列示的购置金额之和 = “三公”经费中的公务用车购置费决算数。",
    ),
    Code(
        "BTW-004",
        "between",
        "中小企业、小微企业合同金额不超过政府采购总额",
        Severity.ERROR,
        "授予小微企业合同金额 ≤ 授予中小企业合同金额 ≤ 政府采购支出总额（货物+工程+服务）。",
    ),
    Code(
        "BTW-005",
        "between",
        "年初预算总额与各科目年初预算之和一致",
        Severity.ERROR,
        "填报了年初预算总额且各科目也填报年初预算时，两者应一致。",
    ),
    Code(
        "BTW-006",
        "between",
        "机关运行经费不超过基本支出公用经费",
        Severity.WARNING,
        "机关运行经费是行政单位用于购买货物和服务的基本支出（公用经费），一般不应大于一般公共预算财政拨款基本支出中的公用经费。",
    ),
    Code(
        "CAT-001",
        "catalog",
        "科目编码存在于当年分类目录",
        Severity.ERROR,
        "科目编码须存在于决算年度的政府收支分类科目目录中。目录标记为完整（导入的官方目录）时为错误。内置目录只收录了部分科目：缺失的科目（及其缺失的款、类）在数据中有名称（行的科目名称，或“科目名称”补充列表）时只给一条提示，文件印数据中的名称；没有名称时为错误（文件不能只印编码）。内置目录包含全部“类”，所属的类不存在时（编码前三位有误）仍为错误。",
    ),
    Code(
        "CAT-002",
        "catalog",
        "科目名称与编码一致",
        Severity.ERROR,
        "填报的科目名称须与目录中该编码的名称一致，不一致为错误（编码或名称填错）。只是写法不同（全角半角括号、空格、省略末尾的“支出”“费用”等历年常见写法）时为警告，文件中使用目录名称。",
    ),
    Code(
        "CAT-003",
        "catalog",
        "上级科目存在",
        Severity.WARNING,
        "项级科目的款、类，经济分类款级科目的类，须存在于目录中（内置目录中缺失、数据中有名称的上级科目不报；不在内置目录中的科目由“科目编码存在于当年分类目录”一条一并报告）。",
    ),
    Code(
        "CAT-004",
        "catalog",
        "同一科目不重复列示",
        Severity.ERROR,
        "同一张明细中，同一科目编码只能出现一次（重复行会使合计重复计算）。",
    ),
    Code(
        "NAR-001",
        "narrative",
        "增减变动须说明原因",
        Severity.ERROR,
        "与上年相比发生增减（按两位小数列示不为0）时，须填写变动原因（工作簿“变动原因”表）；持平时不需要。",
    ),
    Code(
        "NAR-002",
        "narrative",
        "决算数与预算数不一致须说明原因",
        Severity.ERROR,
        "一般公共预算财政拨款各项支出决算数与预算数（按地区口径为调整预算或年初预算）不一致，“三公”经费决算数与预算数不一致时，须说明原因。",
    ),
    Code(
        "NAR-003",
        "narrative",
        "上年比较数齐全",
        Severity.WARNING,
        "情况说明需与上年比较的数字（收入支出总计、财政拨款总计、一般公共预算财政拨款支出、“三公”经费、机关运行经费），缺少上年数（“上年数”中未填，也无法从上年数据文件取得）时无法说明增减。",
    ),
    Code(
        "NAR-004",
        "narrative",
        "文字中无占位符或空白原因",
        Severity.ERROR,
        "原因、说明等文字不得留有占位符（XX、××、待补充等），也不得只有标点。",
    ),
    Code(
        "NAR-005",
        "narrative",
        "预算数为0时不计算完成率",
        Severity.WARNING,
        "预算数为0而决算数不为0时，完成预算百分比无法计算，说明中改为列示预算数；请核实预算数。",
    ),
    Code(
        "NAR-006",
        "narrative",
        "上年数为0时不计算增长率",
        Severity.WARNING,
        "上年数为0而本年不为0时，增长率无意义（不能写“增长100%”），说明中只列示增加额。",
    ),
    Code(
        "NAR-007",
        "narrative",
        "说明所比较的预算数已填报",
        Severity.ERROR,
        "一般公共预算财政拨款各项支出、有支出的“三公”经费各项须填报说明所比较的预算数（按地区口径为调整预算或年初预算），否则说明无法列示完成预算情况。",
    ),
    Code(
        "NAR-008",
        "narrative",
        "必备内容齐全",
        Severity.ERROR,
        "部门职责、支出功能分类明细不得为空；部门概况与决算情况说明依赖这些内容。生成的文件从不以占位文字代替缺少的内容。",
    ),
    Code(
        "DAT-001",
        "data",
        "金额单位与数值量级相符",
        Severity.ERROR,
        "按声明的单位换算后，本年收入或支出合计超过1万亿元，或大于0但不足1000元，几乎一定是单位填错（把元当作万元填报，或相反）。",
    ),
    Code(
        "PERF-001",
        "performance",
        "指标分值与小计、满分一致",
        Severity.WARNING,
        "指标体系中各级指标列示的分值应等于其下三级指标分值之和，全部指标分值之和应等于满分（100分）；项目支出绩效自评表中预算执行权重与各绩效指标权重之和应为100。",
    ),
    Code(
        "PERF-002",
        "performance",
        "自评得分在0与指标分值之间",
        Severity.ERROR,
        "自评得分应在0与该指标分值（权重）之间；扣分项不应为正数；合计不超过满分。",
    ),
    Code(
        "PERF-003",
        "performance",
        "自评表列示的分值小计、得分合计与明细一致",
        Severity.WARNING,
        "自评表中指标名称后列示的分值小计（如“履职效能（19分）”）应等于其下三级指标分值之和；表中列示的得分合计应等于各指标自评得分之和。",
    ),
    Code(
        "PERF-004",
        "performance",
        "自评得分与按评分规则计算的得分一致",
        Severity.WARNING,
        "表中列示的自评得分应与按评分规则和数据计算的得分一致（两者都列出，并给出差额）。",
    ),
    Code(
        "PERF-005",
        "performance",
        "项目预算执行数合计等于决算项目支出",
        Severity.WARNING,
        "各项目支出绩效自评表的预算执行数合计应等于决算的项目支出（支出决算表“项目支出”）。",
    ),
    Code(
        "PERF-006",
        "performance",
        "报告所述常年、一次性项目与项目自评表一致",
        Severity.WARNING,
        "绩效评价报告所述常年项目、一次性（阶段）项目的个数和涉及预算总金额，应与项目支出绩效自评表中该类项目的个数和调整后预算数合计一致。",
    ),
    Code(
        "PERF-007",
        "performance",
        "决算说明中的自评得分与自评表一致",
        Severity.ERROR,
        "决算说明“预算绩效管理情况”中的部门整体及项目自评得分，应与绩效自评表的合计一致。",
    ),
    Code(
        "PERF-008",
        "performance",
        "绩效评分可以计算",
        Severity.WARNING,
        "评分能够完成：指标体系文件可以读取；规则需要的输入都有数值；没有除数为零；人工评分写明理由；定性指标填写达成情况。无法计算的指标在评分轨迹中说明原因。",
    ),
    Code(
        "PERF-009",
        "performance",
        "项目预算执行情况的资金来源与执行率一致",
        Severity.ERROR,
        "项目支出绩效自评表预算执行情况：各资金来源之和等于总额；列示的预算执行率等于预算执行数 ÷ 调整后预算数。",
    ),
    # -- reading a dataset file
    Code("LOAD-001", "load", "文件不存在或无法读取"),
    Code("LOAD-002", "load", "文件过大"),
    Code("LOAD-003", "load", "不是文本文件（含二进制内容、控制字符，或不是 UTF-8 编码）"),
    Code("LOAD-004", "load", "文件为空"),
    Code("LOAD-005", "load", "YAML 语法错误"),
    Code("LOAD-006", "load", "顶层不是映射（键: 值）"),
    Code("LOAD-007", "load", "嵌套过深、节点过多或别名循环引用，拒绝处理"),
    Code("LOAD-008", "load", "同一映射中键重复"),
    Code("LOAD-009", "load", "不允许的数值（无穷大、非数 .inf/.nan 或数量级过大）"),
    Code("LOAD-010", "load", "不支持的 YAML 写法（标签、以列表或映射为键、多个文档等）"),
    Code("LOAD-101", "load", "缺少必填项"),
    Code("LOAD-102", "load", "未知字段（可能拼写错误）"),
    Code("LOAD-103", "load", "应为数字"),
    Code("LOAD-104", "load", "数值超出允许范围（如金额为负数）"),
    Code("LOAD-105", "load", "科目编码或其他文本格式不正确"),
    Code("LOAD-106", "load", "文本为空"),
    Code("LOAD-107", "load", "取值不在允许的选项中"),
    Code("LOAD-108", "load", "类型不符（应为列表、映射或文本等）"),
    Code("LOAD-109", "load", "文本含控制字符，或文本、列表过长（输出文件无法容纳）"),
    Code("LOAD-199", "load", "其他数据校验错误"),
    Code("LOAD-020", "load", "文件类型暂不支持（如 Excel 工作簿）"),
    Code("LOAD-021", "load", "未知的地区模板"),
    # -- analysing a loaded dataset
    Code("CAT-000", "catalog", "没有决算年度的分类科目目录，改用相近年度的目录", Severity.WARNING),
    Code("LOAD-022", "load", "上年数据文件无法读取"),
    Code("LOAD-023", "load", "上年数据文件不是同一部门的上一年度", Severity.WARNING),
    # -- reading the fill-in workbook
    Code(
        "XLS-001",
        "workbook",
        "文件不存在、无法读取，或不是可读取的 Excel 工作簿（损坏、加密、空文件、其他格式）",
    ),
    Code("XLS-002", "workbook", "文件过大或尺寸异常（疑似压缩炸弹），拒绝读取"),
    Code("XLS-010", "workbook", "缺少必需的工作表（表格）"),
    Code("XLS-011", "workbook", "表头无法识别"),
    Code("XLS-020", "workbook", "未知的科目编码"),
    Code("XLS-021", "workbook", "科目编码与名称不符"),
    Code("XLS-022", "workbook", "缺少科目编码或编码格式不正确"),
    Code("XLS-023", "workbook", "同一科目在同一表中重复出现"),
    Code("XLS-024", "workbook", "表中合计、小计与其明细之和不符（合计、小计不读取）"),
    Code("XLS-030", "workbook", "金额单元格中不是数字"),
    Code("XLS-031", "workbook", "单位不是“元”或“万元”"),
    Code("XLS-032", "workbook", "公式没有计算结果（请在 Excel 中保存后再导入）"),
    Code("XLS-033", "workbook", "同一字段在「部门信息」等表中重复填写"),
    Code("XLS-040", "workbook", "单元格有内容但不在填报区，未被读取"),
    Code("XLS-041", "workbook", "键值表中的行无法识别（隐藏的字段标识被改动）"),
    # -- indicator system files
    Code("PERF-101", "system", "指标体系文件不存在或无法读取"),
    Code("PERF-102", "system", "未知的评分规则类型"),
    Code("PERF-103", "system", "评分公式或表达式有误（语法、不支持的写法、未声明的输入名）"),
    Code("PERF-104", "system", "输入的来源重复（figure、dataset、projects、run 只能选一个）"),
    Code("PERF-105", "system", "指标编号或指标名称重复"),
    Code("PERF-106", "system", "区间规则的上下限颠倒"),
    # -- the checker's own rules (juesuan check)
    Code("CHK-101", "check", "占比与其部分、整体一致", Severity.ERROR),
    Code("CHK-102", "check", "同一整体的各项占比之和为100%", Severity.WARNING),
    Code("CHK-103", "check", "增减率与增减额、上年数一致", Severity.ERROR),
    Code("CHK-104", "check", "增长率不以0为基数", Severity.ERROR),
    Code("CHK-105", "check", "比较用语与数字方向一致（增加/减少/持平）", Severity.ERROR),
    Code("CHK-106", "check", "列举各项之和等于所述合计", Severity.WARNING),
    Code("CHK-107", "check", "完成预算百分比与决算数、预算数一致", Severity.ERROR),
    Code("CHK-108", "check", "完成预算100%与“决算数小于/大于预算数”不矛盾", Severity.ERROR),
    Code("CHK-109", "check", "无遗留占位符或空白内容（XX、××、“主要原因是。”）", Severity.ERROR),
    Code("CHK-110", "check", "无重复标点（。。）", Severity.WARNING),
    Code("CHK-111", "check", "年份为本年度或上年度", Severity.WARNING),
    Code(
        "CHK-112", "check", "文中类、款、项级科目名称与表中（或科目表）名称一致", Severity.WARNING
    ),
    Code(
        "CHK-113",
        "check",
        "列举的名目个数、其中各项人数（个数、车辆数）之和与文中所述一致",
        Severity.WARNING,
    ),
    Code("CHK-114", "check", "同一项目在文中前后列示的金额一致", Severity.ERROR),
    Code(
        "CHK-115",
        "check",
        "无遗留的模板备选用语或填写说明（“增加（减少）”“（不涉及的不列）”等，由官方模板导出）",
        Severity.ERROR,
    ),
    Code("CHK-116", "check", "增减率、占比、完成率带“%”", Severity.WARNING),
    Code(
        "CHK-117",
        "check",
        "封面、各部分标题、表题与“截至…年12月31日”中的年份为决算年度，年份书写完整",
        Severity.ERROR,
    ),
    Code("CHK-118", "check", "部门名称在封面、各部分标题、表题与正文中一致", Severity.ERROR),
    Code("CHK-120", "check", "明细表中类、款、项逐级合计一致（空白不作0）", Severity.ERROR),
    Code("CHK-121", "check", "文中列明的非零数字在表中不是空白（空白不作0）", Severity.ERROR),
    Code("CHK-122", "check", "文中数字与按本文件报表数据计算的数字一致", Severity.ERROR),
    Code("CHK-201", "check", "绩效指标分值之和等于所属指标的分值", Severity.ERROR),
    Code("CHK-202", "check", "自评得分之和等于合计得分", Severity.ERROR),
    Code("CHK-203", "check", "自评得分在0与指标分值之间", Severity.WARNING),
    Code(
        "CHK-204", "check", "项目支出绩效自评表：预算执行率与执行数、预算数一致", Severity.WARNING
    ),
    Code("CHK-205", "check", "说明中的项目预算金额与项目支出绩效自评表一致", Severity.ERROR),
    Code("CHK-206", "check", "说明与评价结论中的自评得分与自评表合计得分一致", Severity.ERROR),
    Code(
        "CHK-207",
        "check",
        "说明中的项目个数、执行进度、结余率超10%的项目数与项目支出绩效自评表一致",
        Severity.ERROR,
    ),
    Code("CHK-208", "check", "项目支出绩效自评表：各资金来源之和等于总额", Severity.ERROR),
    Code(
        "CHK-209", "check", "项目支出绩效自评表：预算执行得分与“执行率×权重”一致", Severity.WARNING
    ),
    Code("CHK-301", "check", "识别出的标准表", Severity.INFO),
    Code("CHK-302", "check", "公开文件包含规定的各部分和各张表", Severity.ERROR),
    Code(
        "CHK-303",
        "check",
        "无数据的政府性基金、国有资本经营预算表注明“本表无数据”",
        Severity.WARNING,
    ),
    # -- the checker's reading problems and its rounding note (not rules: no coverage)
    Code("CHK-001", "read", "文件不存在或不是文件"),
    Code("CHK-002", "read", "不支持的文件类型（可检查 .txt、.md、.docx、.pdf、.html）"),
    Code("CHK-003", "read", "文件为空或没有可检查的文字"),
    Code("CHK-004", "read", "文件损坏、格式不符或文本编码无法识别"),
    Code("CHK-005", "read", "PDF没有文字层（扫描件）"),
    Code("CHK-006", "read", "页面或表格无法可靠读取（读取自检未通过），未检查"),
    Code("CHK-007", "read", "PDF的全部页面无法可靠读取（如文字层无法解码），无法检查"),
    Code(
        "CHK-008",
        "read",
        "文档含未接受的修订（修订标记），按接受全部修订后的文字检查",
        Severity.WARNING,
    ),
    Code("CHK-090", "read", "PDF已加密，无法读取"),
    Code("CHK-091", "read", "PDF中有无法读取的页面（内容或字体已损坏），这些页面的文字不完整"),
    Code("CHK-092", "read", "文件过大/过于复杂，未能检查"),
    Code("CHK-900", "read", "仅差舍入误差的数字，汇总为一条提示"),
    # -- importing a classification catalog
    Code("CAT-IMP-000", "import", "年度或科目体系参数无效"),
    Code("CAT-IMP-001", "import", "文件不存在、是目录或无法打开"),
    Code("CAT-IMP-002", "import", "文件为空"),
    Code("CAT-IMP-003", "import", "不支持的文件类型"),
    Code("CAT-IMP-004", "import", "文件损坏、有密码保护、不是电子表格或编码无法识别"),
    Code("CAT-IMP-005", "import", "找不到可识别的表头（科目编码、科目名称）"),
    Code("CAT-IMP-006", "import", "无法识别的科目编码"),
    Code("CAT-IMP-007", "import", "科目编码没有名称"),
    Code("CAT-IMP-008", "import", "跳过其他科目体系的编码"),
    Code("CAT-IMP-009", "import", "同一编码有不同名称（保留第一个）"),
    Code("CAT-IMP-010", "import", "上级科目缺失"),
    Code("CAT-IMP-011", "import", "工作表有表头但没有数据行"),
    Code("CAT-IMP-012", "import", "没有找到任何科目"),
    Code("CAT-IMP-013", "import", "分列编码无法确定所属类、款"),
    Code("CAT-IMP-014", "import", "保存失败"),
    Code("CAT-LOAD-001", "import", "已导入的目录文件表头或说明文件（catalog.json）格式错误"),
    Code("CAT-LOAD-002", "import", "已导入的目录文件中有无效的科目行"),
    Code("CAT-LOAD-003", "import", "已导入的目录文件无法读取"),
    # -- uploads to the service (juesuan serve)
    Code("SRV-001", "serve", "在线服务不读取数据中引用的上年数据文件", Severity.WARNING),
    Code("SRV-002", "serve", "数据文件的地区模板与部门设置不同，按部门设置处理", Severity.WARNING),
    Code("SRV-010", "serve", "上传的文件类型不受支持", Severity.ERROR),
    Code("SRV-011", "serve", "声明的文件类型与文件内容不符", Severity.ERROR),
    Code("SRV-012", "serve", "文件已损坏，无法作为工作簿读取", Severity.ERROR),
    Code("SRV-013", "serve", "疑似压缩炸弹（解压后过大、部件过多或压缩比异常）", Severity.ERROR),
    Code("SRV-014", "serve", "XML 含有 DOCTYPE 或实体声明", Severity.ERROR),
    Code("SRV-015", "serve", "文件过大", Severity.ERROR),
    Code("SRV-016", "serve", "文本不是 UTF-8 编码", Severity.ERROR),
    Code("SRV-017", "serve", "YAML 别名（*引用）过多", Severity.ERROR),
)

CODES: dict[str, Code] = {c.code: c for c in _ALL}
if len(CODES) != len(_ALL):  # pragma: no cover - a duplicate is a programming error
    raise ValueError("duplicate code in juesuan.core.codes")


def code(name: str) -> Code:
    """The catalog entry of ``name`` (KeyError for a code that is not in the catalog)."""
    return CODES[name]


def severity(name: str) -> Severity:
    """The severity ``name`` is reported with (error where the catalog leaves it open)."""
    return CODES[name].severity or Severity.ERROR


def in_family(family: str) -> list[Code]:
    return [c for c in _ALL if c.family == family]
