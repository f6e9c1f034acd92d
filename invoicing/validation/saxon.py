"""The per-process Saxon processor that runs the official XSLT 2.0 artefacts.

SaxonC runs inside a GraalVM isolate that does not survive fork(): a processor inherited from a parent
crashes the child. So the processor is created lazily, remembered with the pid that created it, and
re-created in any other process; each stylesheet is compiled once per process and reused.
"""

from __future__ import annotations

import os
import threading
from typing import Any
from urllib.parse import quote

from saxonche import PySaxonProcessor

from invoicing.validation.artefacts import Stylesheet

_PARSER_FEATURE = "http://saxon.sf.net/feature/parserFeature?uri="
# Saxon's XML parser opens whatever a DOCTYPE names even with URL access switched off (allowedProtocols
# covers doc() and the like, not the parser): documents reach Saxon only after the DOCTYPE refusal, and
# these make its parser refuse one anyway, our stylesheets included (none has a DOCTYPE).
_SAFE_PARSER = {
    "http://apache.org/xml/features/disallow-doctype-decl": "true",
    "http://xml.org/sax/features/external-general-entities": "false",
    "http://xml.org/sax/features/external-parameter-entities": "false",
    "http://apache.org/xml/features/nonvalidating/load-external-dtd": "false",
    "http://apache.org/xml/features/xinclude": "false",
}

_lock = threading.Lock()
_state: dict[str, Any] = {"pid": None, "proc": None, "compiled": {}}


def _processor() -> tuple[Any, dict[Stylesheet, Any]]:
    if _state["pid"] != os.getpid():
        proc = _state["proc"] = PySaxonProcessor(license=False)
        for feature, value in _SAFE_PARSER.items():
            proc.set_configuration_property(_PARSER_FEATURE + quote(feature, safe=""), value)
        _state["compiled"] = {}
        _state["pid"] = os.getpid()
    return _state["proc"], _state["compiled"]


def _compiled(proc: Any, cache: dict[Stylesheet, Any], sheet: Stylesheet) -> Any:
    if sheet not in cache:
        cache[sheet] = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(sheet.path))
        # Once our own stylesheets are loaded, nothing may be fetched by URL any more (doc(), unparsed-text()).
        proc.set_configuration_property("http://saxon.sf.net/feature/allowedProtocols", "")
    return cache[sheet]


def run(sheet: Stylesheet, xml_text: str) -> str:
    """SVRL output of ``sheet`` over ``xml_text``.

    The caller guarantees ``xml_text`` has no DOCTYPE; Saxon's parser would refuse one. A lock keeps
    Saxon work on one thread at a time, which is the use SaxonC is known to be safe with.
    """
    with _lock:
        proc, cache = _processor()
        executable = _compiled(proc, cache, sheet)
        node = proc.parse_xml(xml_text=xml_text)
        return str(executable.transform_to_string(xdm_node=node))


def warm_up(*sheets: Stylesheet) -> None:
    """Compile ``sheets`` now (worker start-up) rather than on the first invoice."""
    with _lock:
        proc, cache = _processor()
        for sheet in sheets:
            _compiled(proc, cache, sheet)
