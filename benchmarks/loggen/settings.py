"""What a generated log looks like: its sizes, shares of late, missing and broken steps, its
processes' weights, and the words its text columns hold."""

from __future__ import annotations

import datetime as dt

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
JURISDICTIONS = ("guangxi", "yongzhou", "xinjiang", "xinzhou")
SEED = 20240630

FIRST_START = dt.date(2022, 1, 1)
LAST_START = dt.date(2026, 6, 30)
INSIDE_VALIDITY = 0.85  # share of cases starting inside a document's validity window, when it has one

LATE_SHARE = 0.08  # a fulfilment after its period
MISSING_SHARE = 0.06  # a fulfilment that never comes
PREMATURE_SHARE = 0.06  # an act before its waiting period ends
FLAG_TRUE = 0.15  # a yes/no attribute's "yes"
FLAG_BLANK = 0.25  # ... and its blank
REQUIRED_ABSENT = 0.05  # a required attribute left empty
BAD_ID_SHARE = 0.04  # an ID with a wrong check digit
BAD_ROW_SHARE = 1e-4  # unreadable rows
DUPLICATE_SHARE = 2e-4  # exact duplicate rows
OFF_HOURS = 0.04  # events at any hour (night, weekend, holiday work)

NS = 10**9
DAY_NS = 86_400 * NS
OFFSET_NS = 8 * 3600 * NS
EPOCH = dt.date(1970, 1, 1)

# How common each process is on an exchange platform (normalised over the processes a profile has).
PROCESS_WEIGHT = {
    "share": 0.52, "quality": 0.07, "catalog": 0.08, "catalog_offline": 0.02, "resource": 0.03,
    "open": 0.07, "objection": 0.05, "security": 0.02, "data": 0.04, "conduct": 0.06,
    "rectification": 0.03, "log": 0.01,
}
PROCESS_CODE = {
    "share": "SQ", "quality": "ZL", "catalog": "ML", "catalog_offline": "MX", "resource": "ZX", "open": "KF",
    "objection": "YY", "security": "AQ", "data": "SY", "conduct": "JG", "rectification": "ZG", "log": "RZ",
}
# How often a step that is not the first happens at all, when the rules do not decide it
# (side branches are rare; conduct findings are rarer still).
STEP_RATE = {
    "share.paper_demanded": 0.01, "share.offline_mode_used": 0.02, "share.suspended": 0.03,
    "share.suspension_reported": 0.9, "quality.extension_approved": 0.2,
    "resource.replacement_available": 0.5, "share.usage_reported": 0.9, "catalog.published": 0.8,
}
DEFAULT_STEP_RATE = 0.93
UNRULED_STEP_RATE = 0.1  # a fulfilment no rule asks for in this case (a filing nobody required)
BAD_ACT_RATE = 0.05  # an act whose precondition is unmet

CITIES = {
    "guangxi": ("自治区", "南宁市", "柳州市", "桂林市", "梧州市", "北海市", "玉林市", "百色市"),
    "yongzhou": ("永州市", "零陵区", "冷水滩区", "祁阳市", "东安县", "双牌县", "道县", "江永县"),
    "xinjiang": ("自治区", "乌鲁木齐市", "克拉玛依市", "吐鲁番市", "哈密市", "昌吉回族自治州", "伊犁哈萨克自治州"),
    "xinzhou": ("忻州市", "忻府区", "原平市", "定襄县", "五台县", "代县", "繁峙县", "宁武县"),
}
AGENCIES = (
    "公安局", "人力资源和社会保障局", "市场监督管理局", "民政局", "自然资源局", "住房和城乡建设局", "卫生健康委员会",
    "教育局", "税务局", "医疗保障局", "交通运输局", "生态环境局", "农业农村局", "司法局", "财政局", "统计局",
)
RESOURCES = (
    "人口基础信息", "法人单位基础信息", "不动产登记信息", "社会保险参保信息", "婚姻登记信息", "企业注册登记信息",
    "医保结算信息", "学籍信息", "车辆登记信息", "低保救助信息", "公积金缴存信息", "营业执照信息", "出生医学证明信息",
)
TEXTS = {
    "reason": ("涉及个人隐私", "数据尚未治理完成", "超出申请部门职责范围", "依法不予共享", "数据质量待核实"),
    "legal_basis": ("《中华人民共和国数据安全法》第三十八条", "《中华人民共和国个人信息保护法》第三十四条",
                    "《政务信息资源共享管理暂行办法》第九条", "《中华人民共和国保守国家秘密法》第二条"),
    "conditions": ("仅限本部门履职使用", "需签订数据安全协议", "按季度更新使用情况", "脱敏后提供"),
    "scenario": ("惠企政策兑现", "社会救助资格核验", "一网通办材料免提交", "不动产登记联办", "人才引进审核"),
    "purpose": ("业务核验", "统计分析", "行政审批", "监督执法"),
    "cause": ("法律法规修订", "部门职能调整", "数据项变更"),
    "filing_for": ("不予共享申请", "跨层级共享", "线下共享"),
}
CASE_PREFIX = {"guangxi": "GX", "yongzhou": "YZ", "xinjiang": "XJ", "xinzhou": "XZ"}
ROLE_OF_PARTY_ATTRIBUTE = {"requester": "requester", "provider": "provider"}

