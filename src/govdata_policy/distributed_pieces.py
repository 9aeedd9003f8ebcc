"""An output partition's pieces (one from each input partition the shuffle sent cases from) made one frame,
as a single-process read would have made the log: kept apart from distributed.py, which plans the tasks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd


def align_pieces(pieces: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The pieces as one EventFrame, columns as a single-process read would have them.

    Files with different columns: the union, in order of first appearance (the pieces
    come in input order), a missing column empty in the type it has elsewhere.
    """
    columns: dict[str, Any] = {}
    for piece in pieces:
        for name in piece.columns:
            columns.setdefault(name, piece[name].dtype)
    found = [p for p in pieces if len(p)]
    if not found:
        return pieces[0].iloc[:0].reindex(columns=list(columns)) if pieces else pd.DataFrame()
    full = []
    for piece in found:
        missing = [name for name in columns if name not in piece.columns]
        if missing:
            piece = piece.assign(**{name: _empty_column(columns[name], len(piece), piece.index) for name in missing})
        full.append(piece[list(columns)])
    return pd.concat(full, ignore_index=True) if len(full) > 1 else full[0].reset_index(drop=True)


def _empty_column(dtype: Any, n: int, index: pd.Index) -> pd.Series:
    if str(dtype) in ("boolean", "Int64"):
        return pd.Series(pd.array([pd.NA] * n, dtype=str(dtype)), index=index)
    return pd.Series([None] * n, index=index, dtype=object)
