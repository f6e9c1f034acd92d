"""The names of the EN 16931 terms, in both languages, for every term a rule message cites."""

from __future__ import annotations

from invoicing.formats.terms import TERMS, term_name, terms_in
from invoicing.validation.artefacts import Stylesheet
from tests.invoicing.stylesheet_texts import reported_texts

# EN 16931-1 has BT-1..BT-165 but no BT-4 (withdrawn before publication), and BG-1..BG-32.
EN16931_TERMS = {f"BT-{n}" for n in range(1, 166) if n != 4} | {f"BG-{n}" for n in range(1, 33)}


def test_every_term_and_group_of_en16931_is_named() -> None:
    assert EN16931_TERMS - set(TERMS) == set()
    assert "BT-4" not in TERMS
    assert term_name("BT-4", "fr") is None


def test_every_term_a_rule_message_cites_is_named_in_both_languages() -> None:
    cited = set().union(*(terms_in(message) for sheet in Stylesheet for _, message in reported_texts(sheet)))
    assert len(cited) > 100
    assert {bt for bt in cited if term_name(bt, "fr") is None or term_name(bt, "en") is None} == set()


def test_names_are_given_and_the_french_is_french() -> None:
    for bt, name in TERMS.items():
        assert name.fr.strip() and name.en.strip(), bt
        assert name.fr != name.en, bt
        assert terms_in(bt) == {bt}  # each key is a term as messages write it


def test_names_in_the_words_of_the_standard() -> None:
    assert term_name("BT-112", "en") == "Invoice total amount with VAT"
    assert term_name("BT-112", "fr") == "Montant total de la facture TTC"
    assert term_name("BT-24", "fr") == "Identifiant de spécification"
    assert term_name("BG-4", "fr") == "Vendeur"
    assert term_name("BG-7", "en") == "Buyer"
    assert term_name("BT-118", "fr") == "Code de catégorie de TVA"
    # As messages write them, in any case; the Factur-X rules write BT-x-272 too.
    assert term_name(" bt-112 ", "fr") == "Montant total de la facture TTC"
    assert term_name("BT-x-272", "en") == "Logistics service fee amount"
    assert term_name("BT-999", "en") is None


def test_terms_in_reads_every_citation() -> None:
    assert terms_in("[BR-CO-15]-Invoice total amount with VAT (BT-112) = (BT-109) + (BT-110).") == {
        "BT-112",
        "BT-109",
        "BT-110",
    }
    assert terms_in("(BT-x-272) (BT-X-273) (BG-23)(BG-21) BT-1234x BR-01") == {
        "BT-X-272",
        "BT-X-273",
        "BG-23",
        "BG-21",
    }
