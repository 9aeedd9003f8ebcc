"""A test workbook's cells rewritten in its sheet XML, as Excel, LibreOffice or POI save them and openpyxl
cannot write them (error cells with their cached text, formulas with no saved value)."""

from __future__ import annotations

import zipfile
from pathlib import Path


def with_cells(path: Path, name: str, cells: dict[str, str]) -> Path:
    """A copy of the workbook, named ``name`` beside it, whose first sheet has each cell of ``cells`` (by
    reference, ``C2``) replaced by the given ``<c>`` element."""
    patched = path.with_name(name)
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(patched, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                for ref, cell in cells.items():
                    start = xml.index(f'<c r="{ref}"')
                    end = xml.index("</c>", start) + len("</c>")
                    xml = xml[:start] + cell + xml[end:]
                data = xml.encode()
            new.writestr(item, data)
    return patched
