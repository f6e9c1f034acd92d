"""Structure identifiers: SIRET/SIREN (Luhn, La Poste), French and EU VAT numbers, the free-form types."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import luhn

from tenancy.enums import IdentifierType
from tenancy.identifiers import (
    InvalidIdentifier,
    check_french_vat,
    check_siren,
    check_siret,
    check_vat,
    normalize_identifier,
)

SIREN = "732829320"  # Luhn-valid
SIRET = "73282932000074"  # that SIREN + NIC 00007, Luhn-valid
LA_POSTE_LUHN = "35600000000048"  # La Poste, passes Luhn
LA_POSTE_DIGIT_SUM = "35600000049837"  # La Poste, fails Luhn, digit sum 50


# the types whose identifier is free-form text, checked only for its bounds
FREE_FORM_KINDS = pytest.mark.parametrize(
    "kind",
    [
        IdentifierType.HORS_UE,
        IdentifierType.RIDET,
        IdentifierType.TAHITI,
        IdentifierType.AUTRE,
        IdentifierType.PARTICULIER,
    ],
)


def _with_luhn(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def _refused(check: Callable[[str], str], value: str) -> str:
    with pytest.raises(InvalidIdentifier) as caught:
        check(value)
    return str(caught.value)


# --- SIREN -----------------------------------------------------------------------------------


def test_valid_siren_is_returned_without_spaces() -> None:
    assert check_siren(SIREN) == SIREN
    assert check_siren("732 829 320") == SIREN


# --- SIRET -----------------------------------------------------------------------------------


def test_valid_siret_is_returned_canonical() -> None:
    assert check_siret(SIRET) == SIRET
    assert check_siret("732 829 320 00074") == SIRET
    assert check_siret("732.829.320.00074") == SIRET


def test_siret_whose_siren_fails_luhn_is_refused_even_when_the_whole_passes() -> None:
    siren = "732829321"  # bad SIREN key
    assert not luhn.is_valid(siren)
    siret = _with_luhn(siren + "0000")
    assert luhn.is_valid(siret)
    message = _refused(check_siret, siret)
    assert "first 9 digits are not a valid SIREN" in message


def test_la_poste_siret_passing_luhn_is_accepted() -> None:
    assert luhn.is_valid(LA_POSTE_LUHN)
    assert check_siret(LA_POSTE_LUHN) == LA_POSTE_LUHN


def test_la_poste_siret_with_digit_sum_multiple_of_5_is_accepted_without_luhn() -> None:
    assert not luhn.is_valid(LA_POSTE_DIGIT_SUM)
    assert sum(map(int, LA_POSTE_DIGIT_SUM)) % 5 == 0
    assert check_siret(LA_POSTE_DIGIT_SUM) == LA_POSTE_DIGIT_SUM


def test_la_poste_siret_failing_both_checks_is_refused() -> None:
    value = "35600000049838"
    assert not luhn.is_valid(value) and sum(map(int, value)) % 5 != 0
    message = _refused(check_siret, value)
    assert "La Poste" in message and "digit-sum" in message


def test_digit_sum_rule_is_only_for_la_poste() -> None:
    # Same NIC as the La Poste number above, under another SIREN: digit sum a multiple of 5 is not enough.
    siren = _with_luhn("73282932")
    for nic in range(100_000):
        value = f"{siren}{nic:05d}"
        if not luhn.is_valid(value) and sum(map(int, value)) % 5 == 0:
            break
    assert "Luhn" in _refused(check_siret, value)


sirens = st.from_regex(r"\A[0-9]{8}\Z").map(_with_luhn)
nics = st.from_regex(r"\A[0-9]{4}\Z")


@given(siren=sirens, nic=nics)
def test_any_luhn_valid_siret_with_a_valid_siren_passes(siren: str, nic: str) -> None:
    siret = _with_luhn(siren + nic)
    assert check_siret(siret) == siret


@given(siren=sirens, nic=nics, position=st.integers(0, 13), delta=st.integers(1, 9))
def test_changing_one_digit_of_a_valid_siret_fails(siren: str, nic: str, position: int, delta: int) -> None:
    siret = _with_luhn(siren + nic)
    digits = list(siret)
    digits[position] = str((int(digits[position]) + delta) % 10)
    mistyped = "".join(digits)
    # La Poste numbers follow another rule (digit sum), under which a single change may pass.
    assume(not mistyped.startswith("356000000") and not siret.startswith("356000000"))
    with pytest.raises(InvalidIdentifier, match="Luhn"):
        check_siret(mistyped)


# --- VAT numbers -----------------------------------------------------------------------------


def test_french_vat_number_with_the_right_key() -> None:
    # key = (12 + 3 * (SIREN mod 97)) mod 97
    siren = 303265045
    key = (12 + 3 * (siren % 97)) % 97
    assert key == 40
    assert check_french_vat("FR40303265045") == "FR40303265045"
    assert check_french_vat("fr 40 303 265 045") == "FR40303265045"
    assert check_vat("FR40303265045") == "FR40303265045"


def test_french_vat_number_with_a_wrong_key_names_the_expected_one() -> None:
    message = _refused(check_french_vat, "FR41303265045")
    assert "key 41 does not match SIREN 303265045 (expected 40)" in message


def test_french_vat_number_key_matches_the_other_formula() -> None:
    # (SIREN * 100 + 12) mod 97, as in the reference: both spellings of the rule agree.
    siren = int(SIREN)
    key = (siren * 100 + 12) % 97
    assert check_french_vat(f"FR{key:02d}{SIREN}") == f"FR{key:02d}{SIREN}"


def test_french_vat_number_whose_siren_fails_luhn() -> None:
    siren = "303265046"
    key = (12 + 3 * (int(siren) % 97)) % 97
    message = _refused(check_french_vat, f"FR{key:02d}{siren}")
    assert "does not contain a valid SIREN" in message


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("DE136695976", "DE136695976"),
        ("de 136 695 976", "DE136695976"),
        ("BE0403019261", "BE0403019261"),
        ("IT00743110157", "IT00743110157"),
        ("ESB58378431", "ESB58378431"),
        ("NL004495445B01", "NL004495445B01"),
        ("ATU13585627", "ATU13585627"),
        ("EL094259216", "EL094259216"),
    ],
)
def test_valid_eu_vat_numbers(value: str, canonical: str) -> None:
    assert check_vat(value) == canonical


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "value", "words"),
    [
        (check_siren, "73282932", "9 digits, not 8"),
        (check_siren, "7328293201", "9 digits, not 10"),
        (check_siren, "73282932A", "digits only"),
        (check_siren, "732829321", "Luhn"),
        (check_siret, "7328293200007", "14 digits (SIREN + NIC), not 13"),
        (check_siret, "732829320000745", "14 digits (SIREN + NIC), not 15"),
        (check_siret, "7328293200007X", "digits only"),
        (check_siret, "73282932000075", "fails the Luhn check"),
        (check_french_vat, "FR4030326504", "FR, a 2-character key and the 9-digit SIREN"),
        (check_french_vat, "40303265045", "FR, a 2-character key and the 9-digit SIREN"),
        (check_french_vat, "FR40303265045X", "FR, a 2-character key and the 9-digit SIREN"),
        (check_vat, "DE136695977", "fails the DE check digit"),
        (check_vat, "DE13669597", "does not have the DE format"),
        (check_vat, "GR094259216", "Greek VAT numbers start with EL"),
        (check_vat, "US123456789", "must start with an EU country code"),
        (check_vat, "GB980780684", "must start with an EU country code"),
    ],
)
def test_a_refusal_names_the_value_and_what_is_wrong(check: Callable[[str], str], value: str, words: str) -> None:
    message = _refused(check, value)
    assert words in message
    assert value in message


# --- by identifier type ----------------------------------------------------------------------


def test_normalize_siret() -> None:
    assert normalize_identifier(IdentifierType.SIRET, f"  {SIRET} ") == SIRET
    with pytest.raises(InvalidIdentifier, match="Luhn"):
        normalize_identifier(IdentifierType.SIRET, "73282932000075")


def test_normalize_eu_structure_checks_its_vat_number() -> None:
    assert normalize_identifier(IdentifierType.UE_HORS_FRANCE, "de136695976") == "DE136695976"
    with pytest.raises(InvalidIdentifier, match="check digit"):
        normalize_identifier(IdentifierType.UE_HORS_FRANCE, "DE136695977")


def test_a_french_structure_cannot_pose_as_eu_outside_france() -> None:
    with pytest.raises(InvalidIdentifier, match="identified by its SIRET"):
        normalize_identifier(IdentifierType.UE_HORS_FRANCE, "FR40303265045")


@FREE_FORM_KINDS
@pytest.mark.parametrize("value", ["123456789", "CH-123.456.789", "A1 B2/C3_d4", "x" * 80])
def test_free_form_identifiers_are_accepted(kind: IdentifierType, value: str) -> None:
    assert normalize_identifier(kind, f" {value} ") == value


@FREE_FORM_KINDS
@pytest.mark.parametrize("value", ["x" * 81, "-starts-with-dash", "semi;colon", "new\nline", "Zoë"])
def test_free_form_identifiers_are_bounded(kind: IdentifierType, value: str) -> None:
    with pytest.raises(InvalidIdentifier, match="1-80 letters, digits"):
        normalize_identifier(kind, value)


@pytest.mark.parametrize("kind", list(IdentifierType))
def test_empty_identifier_is_refused_for_every_type(kind: IdentifierType) -> None:
    with pytest.raises(InvalidIdentifier, match=f"the {kind.value} identifier is empty"):
        normalize_identifier(kind, "   ")
