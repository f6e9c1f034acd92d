"""The UBL code values the reader and the writer share: the document type codes of BT-11 and BT-18."""

from __future__ import annotations

PROJECT_DOC_TYPE = "50"
OBJECT_DOC_TYPE = "130"
