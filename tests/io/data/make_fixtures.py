"""Writes the small fixture files in this folder (run it again to regenerate them).

The GBK file is written with Python's own GBK codec, the way a Windows
export from a provincial platform would be, so the reader is tested against
real GBK bytes rather than against our own idea of them.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

GBK_ROWS = [
    "申请编号,办理环节,办理时间,提供部门,需求部门,共享类型,审核结果,不予共享理由,备注",
    "GX2024-001,提交申请,2024-05-06 09:00:00,自治区公安厅,自治区人社厅,有条件共享,,,首次",
    "GX2024-001,符合性审查,2024/5/7 10:30,自治区公安厅,自治区人社厅,,通过,,",
    "GX2024-001,提供部门审核,2024年5月10日 16:00,自治区公安厅,自治区人社厅,,不同意,涉及国家秘密,",
    "GX2024-002,提交申请,2024-05-08,自治区自然资源厅,南宁市大数据局,无条件共享,,,",
    "GX2024-002,授权,20240509,自治区自然资源厅,南宁市大数据局,,,,订阅开通",
]


def write_gbk_csv(path: Path = HERE / "gbk_export.csv") -> Path:
    text = "\r\n".join(GBK_ROWS) + "\r\n"  # Windows line ends, as exported
    path.write_bytes(text.encode("gbk"))
    return path


if __name__ == "__main__":
    print(write_gbk_csv())
