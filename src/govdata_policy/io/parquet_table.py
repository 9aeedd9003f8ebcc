"""A Parquet log as Arrow reads it (``typed.read_parquet`` makes the frame): no pandas here, so the
command line can start the read while pandas is still being imported (``io.prefetch``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def parquet_table(path: Path) -> Any:
    """The file's table (``pyarrow.Table``), its text columns dictionary-encoded."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    # issue 5: Parquet keeps text dictionary-encoded; read as such, the text is not
    # spelled out cell by cell, and validation takes each column's distinct values
    # from the file instead of hashing its cells (1M rows: 0.2 s less CPU)
    # and the bytes a writer keeps text as (Impala, Hive: BINARY without its UTF8 mark), made text after the read
    text = [f.name for f in pq.read_schema(path) if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
            or pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)]
    # read through pyarrow.dataset, which (unlike pq.read_table) takes a memory pool: the C
    # library's malloc, as for CSV (issue 5: Arrow's pool keeps what the reader's threads allocated)
    file_format = ds.ParquetFileFormat(read_options=ds.ParquetReadOptions(dictionary_columns=text))
    return ds.dataset(path, format=file_format).to_table(memory_pool=pa.system_memory_pool())
