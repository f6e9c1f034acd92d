"""The readable page of a Factur-X PDF, read back as a person would: its language, its amounts written the
locale's way, columns that keep apart, and long texts wrapped inside the page rather than cut or overflowing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pypdf
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from invoicing.formats import facturx as facturx_writer
from invoicing.formats.model import Address, Invoice, Line, Party, Totals, VatBreakdown
from invoicing.formats.readable_locale import Wording, language_of
from tests.invoicing import builder

D = Decimal
NNBSP = "\u202f"
# babel puts a no-break space (U+00A0) before the euro sign and the percent sign; the embedded font draws it
# with the glyph of a space, so reading the text back gives a plain space there.
SIGN_SPACE = " "
LONG_ITEM = (
    "Prestation de maintenance préventive et curative des installations de chauffage, ventilation et "
    "climatisation du bâtiment principal, y compris le remplacement des filtres, le contrôle annuel obligatoire "
    "des chaudières et la référence REF-CVC-2026-BATIMENT-PRINCIPAL-AILE-NORD-NIVEAU-3-LOCAL-TECHNIQUE"
)
LONG_SELLER = (
    "Société Coopérative Ouvrière de Production des Ateliers Réunis de Maintenance Thermique et Frigorifique "
    "du Grand Lyon Métropole et de ses environs"
)


def _in(country: str, party: Party) -> Party:
    assert party.address is not None
    return dataclasses.replace(party, address=dataclasses.replace(party.address, country=country))


def _invoice(*, buyer_country: str = "FR", seller_country: str = "FR") -> Invoice:
    """One line of 1,028.80 at 20 %: 1,234.56 to pay, so the group separator shows; a 5.5 % line too."""
    base = builder.invoice()
    lines = [
        dataclasses.replace(builder.line(1, "1", "1028.80", name="Ramette A4"), id="1"),
        builder.line(2, "1", "0.00", rate="5.5", name="Classeur"),
    ]
    totals = Totals(
        line_net=D("1028.80"),
        without_vat=D("1028.80"),
        vat=D("205.76"),
        with_vat=D("1234.56"),
        payable=D("1234.56"),
    )
    return dataclasses.replace(
        base,
        seller=_in(seller_country, base.seller),
        buyer=_in(buyer_country, base.buyer),
        lines=lines,
        allowances_charges=[],
        totals=totals,
        vat_breakdown=[VatBreakdown(D("1028.80"), D("205.76"), "S", D("20.00"))],
    )


def _pages(pdf: bytes) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _layout_text(pdf: bytes) -> str:
    """The text as laid out on the page: columns that do not touch stay apart by at least one space."""
    return "\n".join(page.extract_text(extraction_mode="layout") for page in _pages(pdf))


def _plain_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in _pages(pdf))


def _words(pdf: bytes) -> str:
    """The text in drawing order, every run of spaces and line breaks made one space (a header may wrap)."""
    return " ".join(re.split(r"[ \n]+", _plain_text(pdf)))


def test_a_french_buyer_reads_french_labels_and_french_amounts() -> None:
    text = _words(facturx_writer.write(_invoice()))
    for label in ("Facture n° F-2026-0042", "Date d'émission", "Vendeur", "Acheteur", "Désignation", "Quantité"):
        assert label in text, label
    for label in ("Prix unitaire HT", "Montant HT", "Taux TVA", "Ventilation de la TVA", "Total TTC", "Net à payer"):
        assert label in text, label
    assert "2 novembre 2026" in text
    # babel's French: a narrow no-break space between thousands, a no-break space before the symbol.
    assert f"1{NNBSP}234,56{SIGN_SPACE}€" in text
    assert f"1{NNBSP}028,80{SIGN_SPACE}€" in text and f"205,76{SIGN_SPACE}€" in text
    assert f"5,5{SIGN_SPACE}%" in text and f"20{SIGN_SPACE}%" in text
    for english in ("Invoice", "Amount due", "Seller", "1,234.56", "€1"):
        assert english not in text, english


def test_a_foreign_buyer_reads_english_labels_and_english_amounts() -> None:
    text = _words(facturx_writer.write(_invoice(buyer_country="DE")))
    for label in ("Invoice no. F-2026-0042", "Issue date", "Seller", "Buyer", "Unit price", "Net amount"):
        assert label in text, label
    assert "VAT breakdown" in text and "Amount due" in text and "2 November 2026" in text
    assert "€1,234.56" in text and "€1,028.80" in text and "5.5%" in text
    assert "Germany" in text
    assert "Facture" not in text and "Net à payer" not in text and "1 234,56" not in text.replace(NNBSP, " ")


def test_amounts_numbers_and_dates_are_written_the_locales_way() -> None:
    french, english = Wording("fr", "EUR"), Wording("en", "EUR")
    assert french.money(D("1234.56")) == "1\u202f234,56\u00a0€"
    assert english.money(D("1234.56")) == "€1,234.56"
    assert french.money(D("0.1234")) == "0,1234\u00a0€"  # a unit price's extra digits are kept
    assert english.money(D("-5.00"), "USD") == "-US$5.00"
    assert (french.percent(D("5.5")), english.percent(D("20.00"))) == ("5,5\u00a0%", "20%")
    assert (french.number(D("1500.5")), english.number(D("1500.5"))) == ("1\u202f500,5", "1,500.5")
    assert french.date(dt.date(2026, 11, 2)) == "2 novembre 2026"
    assert english.date(dt.date(2026, 11, 2)) == "2 November 2026"


def test_the_pdf_declares_the_language_it_is_written_in() -> None:
    french = pypdf.PdfReader(io.BytesIO(facturx_writer.write(_invoice())))
    english = pypdf.PdfReader(io.BytesIO(facturx_writer.write(_invoice(buyer_country="BE", seller_country="BE"))))
    root_fr: Any = french.trailer["/Root"]
    root_en: Any = english.trailer["/Root"]
    assert (root_fr["/Lang"], root_en["/Lang"]) == ("fr-FR", "en-GB")


@pytest.mark.parametrize(
    ("buyer", "seller", "language"),
    [
        ("FR", "FR", "fr"),
        ("FR", "DE", "fr"),  # a German supplier's invoice to a French hospital is read by the hospital
        ("DE", "FR", "en"),  # a French supplier's invoice to a German buyer
        ("RE", "FR", "fr"),  # La Réunion: France overseas, with an ISO code of its own
        ("BE", "BE", "en"),
        (None, "FR", "fr"),  # no buyer country: the seller's decides
        (None, None, "en"),
    ],
)
def test_the_language_follows_the_buyers_country_then_the_sellers(
    buyer: str | None, seller: str | None, language: str
) -> None:
    base = builder.invoice()
    invoice = dataclasses.replace(
        base,
        buyer=dataclasses.replace(base.buyer, address=Address(city="X", country=buyer) if buyer else None),
        seller=dataclasses.replace(base.seller, address=Address(city="Y", country=seller) if seller else None),
    )
    assert language_of(invoice) == language


def test_line_columns_are_separated() -> None:
    text = _layout_text(facturx_writer.write(_invoice()))
    # Each value in its own column, apart from the next one: the category letter is not glued to an amount.
    row = (
        rf"1\s+Ramette A4\s+1\s+unité\s+1{NNBSP}028,80{SIGN_SPACE}€\s+1{NNBSP}028,80{SIGN_SPACE}€\s+S\s+20{SIGN_SPACE}%"
    )
    assert re.search(row, text), text
    assert re.search(
        rf"2\s+Classeur\s+1\s+unité\s+0,00{SIGN_SPACE}€\s+0,00{SIGN_SPACE}€\s+S\s+5,5{SIGN_SPACE}%", text
    ), text


def _runs(page: pypdf.PageObject) -> list[tuple[float, float, float, str]]:
    """(x, baseline y, width, text) of every piece of text drawn on the page, measured in its embedded font."""
    runs: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        shown = text.rstrip("\n")
        if not shown.strip() or font is None:
            return
        name = str(font["/BaseFont"]).split("+", 1)[-1]
        x, y = cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]
        lead = len(shown) - len(shown.lstrip())
        x += stringWidth(shown[:lead], name, size)
        runs.append((x, round(y, 1), stringWidth(shown.strip(), name, size), shown.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def test_long_texts_wrap_inside_the_page_and_no_two_pieces_of_text_overlap() -> None:
    base = _invoice()
    long_line = dataclasses.replace(base.lines[0], item_name=LONG_ITEM, net_price=D("1234567.89"))
    long_line = dataclasses.replace(long_line, net_amount=D("1234567.89"))
    many: list[Line] = [dataclasses.replace(long_line, id=str(i)) for i in range(1, 31)]
    invoice = dataclasses.replace(base, lines=many, seller=dataclasses.replace(base.seller, name=LONG_SELLER))
    pdf = facturx_writer.write(invoice)
    pages = _pages(pdf)
    assert len(pages) > 1  # thirty long lines go on to further pages
    left, right = facturx_writer.MARGIN, A4[0] - facturx_writer.MARGIN
    for number, page in enumerate(pages, 1):
        runs = _runs(page)
        assert runs
        for x, _y, width, shown in runs:
            assert left - 0.5 <= x and x + width <= right + 0.5, (number, shown, x, x + width)
        by_line: dict[float, list[tuple[float, float, str]]] = {}
        for x, y, width, shown in runs:
            by_line.setdefault(y, []).append((x, width, shown))
        for y, pieces in by_line.items():
            pieces.sort()
            for (x1, w1, a), (x2, _, b) in zip(pieces, pieces[1:], strict=False):
                assert x1 + w1 + 3 <= x2, f"page {number}, y={y}: {a!r} runs into {b!r}"
    # Wrapped, not cut: every character of the long texts is there (line breaks and spaces aside, which
    # str.split takes out, no-break ones included).
    flat = "".join(_plain_text(pdf).split())
    assert "".join(LONG_ITEM.split()) in flat
    assert "".join(LONG_SELLER.split()) in flat
    assert flat.count("1234567,89€") == 2 * len(many)  # unit price and net amount of every line
