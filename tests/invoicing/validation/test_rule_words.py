"""Every message the official stylesheets can report has French words naming the same terms."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from invoicing.formats.cii import writer as cii_writer
from invoicing.formats.syntax import Syntax
from invoicing.formats.terms import terms_in
from invoicing.formats.ubl import writer as ubl_writer
from invoicing.validation.artefacts import Stylesheet
from invoicing.validation.rule_words import french_texts, rule_message
from invoicing.validation.validate import validate
from tests.invoicing import builder
from tests.invoicing.stylesheet_texts import reported_texts

_TAG = re.compile(r"^\[([^\]]+)\]")


@pytest.mark.parametrize("sheet", list(Stylesheet), ids=[s.value for s in Stylesheet])
def test_every_rule_of_each_stylesheet_has_its_french(sheet: Stylesheet) -> None:
    texts = reported_texts(sheet)
    assert len({rule for rule, _ in texts}) > 90  # the stylesheet was read, not an empty list
    missing = [(rule, english) for rule, english in texts if english not in french_texts().get(rule, {})]
    assert missing == []
    for rule, english in texts:
        french = rule_message(rule, "fr", english)
        assert french != english, rule
        assert terms_in(french) == terms_in(english), (rule, english, french)
        tag = _TAG.match(english)
        assert tag is None or french.startswith(tag.group(0)), (rule, french)


def test_the_french_table_holds_only_texts_the_stylesheets_have() -> None:
    reported = set().union(*(reported_texts(sheet) for sheet in Stylesheet))
    stored = {(rule, english) for rule, texts in french_texts().items() for english in texts}
    assert stored - reported == set()  # a French text no release reports any more is dead weight


def test_english_is_the_message_as_given_and_an_unknown_text_falls_back_to_it() -> None:
    english = next(iter(french_texts()["BR-CO-15"]))
    assert rule_message("BR-CO-15", "en", english) == english
    assert rule_message("BR-CO-15", "fr", "[BR-CO-15]-A rewording of a later release.") == (
        "[BR-CO-15]-A rewording of a later release."
    )
    assert rule_message("BR-NO-SUCH", "fr", "whatever") == "whatever"


def test_the_findings_of_a_real_validation_read_in_french() -> None:
    invoice = builder.invoice()
    invoice.totals.payable = Decimal("1.00")
    invoice.totals.with_vat = Decimal("2.00")
    for xml in (ubl_writer.write(invoice), cii_writer.write(invoice)):
        report = validate(xml)
        broken = {f.rule: f for f in report.findings if f.source == "en16931"}
        assert {"BR-CO-15", "BR-CO-16"} <= set(broken)
        for finding in broken.values():
            assert rule_message(finding.rule, "fr", finding.message) != finding.message
        assert rule_message("BR-CO-15", "fr", broken["BR-CO-15"].message) == (
            "[BR-CO-15]-Montant total de la facture TTC (BT-112) = montant total de la facture hors TVA (BT-109) "
            "+ montant total de la TVA de la facture (BT-110)."
        )


def test_an_xsd_finding_gets_a_french_lead_and_keeps_lxmls_detail() -> None:
    xml = ubl_writer.write(builder.invoice()).replace(b"<cbc:BuyerReference>", b"<cbc:Unknown/><cbc:BuyerReference>")
    finding = next(f for f in validate(xml).findings if f.source == "xsd")
    french = rule_message(finding.rule, "fr", finding.message, syntax=Syntax.UBL_INVOICE)
    assert french == f"Le fichier ne respecte pas le schéma XML de la syntaxe UBL 2.1 (Invoice) : {finding.message}"
    assert rule_message(finding.rule, "fr", finding.message).startswith(
        "Le fichier ne respecte pas le schéma XML de sa syntaxe : "
    )
    assert rule_message(finding.rule, "en", finding.message) == finding.message


def test_a_profile_xsd_finding_names_the_factur_x_profile() -> None:
    minimum = builder.invoice(specification_id="urn:factur-x.eu:1p0:minimum", lines=[])
    finding = next(f for f in validate(cii_writer.write(minimum)).findings if f.rule == "FX-XSD")
    assert rule_message("FX-XSD", "fr", finding.message) == (
        f"Le fichier ne respecte pas le schéma XML du profil Factur-X qu'il déclare : {finding.message}"
    )
