"""The CII code values the reader and the writer share: document type codes, and BT-8 between code lists."""

from __future__ import annotations

ATTACHMENT_DOC_TYPE = "916"
TENDER_DOC_TYPE = "50"
OBJECT_DOC_TYPE = "130"

# BT-8 is coded with UNTDID 2005 in the model and UBL (3, 35, 432) but with UNTDID 2475 in CII (5, 29, 72).
_VAT_POINT_TO_CII = {"3": "5", "35": "29", "432": "72"}
_VAT_POINT_FROM_CII = {v: k for k, v in _VAT_POINT_TO_CII.items()}


def vat_point_code(code: str | None, *, to_cii: bool) -> str | None:
    if code is None:
        return None
    table = _VAT_POINT_TO_CII if to_cii else _VAT_POINT_FROM_CII
    return table.get(code.strip(), code)
