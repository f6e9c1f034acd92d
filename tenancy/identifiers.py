"""Structure identifiers: SIRET/SIREN (Luhn, La Poste exception), VAT numbers, the free-form types.

Checksums come from python-stdnum; the messages are ours, because a supplier must learn *what* is
wrong with the number they typed, not just that it is wrong.
"""

from __future__ import annotations

import re

from stdnum import luhn
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from tenancy.enums import IdentifierType

LA_POSTE_SIREN = "356000000"
FREE_FORM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .\-/_]{0,79}$")
EU_VAT_PREFIXES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "XI",
    ]
)


class InvalidIdentifier(ValueError):
    """The message says what is wrong, in words."""


def _digits(value: str) -> str:
    return re.sub(r"[\s.]", "", value)


def check_siren(value: str) -> str:
    number = _digits(value)
    if not number.isdigit():
        raise InvalidIdentifier(f"SIREN '{value}' must contain digits only")
    if len(number) != 9:
        raise InvalidIdentifier(f"SIREN '{value}' must have 9 digits, not {len(number)}")
    if not luhn.is_valid(number):
        raise InvalidIdentifier(f"SIREN '{value}' fails the Luhn check: a digit is probably mistyped")
    return number


def check_siret(value: str) -> str:
    number = _digits(value)
    if not number.isdigit():
        raise InvalidIdentifier(f"SIRET '{value}' must contain digits only")
    if len(number) != 14:
        raise InvalidIdentifier(f"SIRET '{value}' must have 14 digits (SIREN + NIC), not {len(number)}")
    if number.startswith(LA_POSTE_SIREN):
        # La Poste's establishments share one SIREN; their NICs pass either Luhn or a digit sum divisible by 5.
        if luhn.is_valid(number) or sum(map(int, number)) % 5 == 0:
            return number
        raise InvalidIdentifier(f"SIRET '{value}' (La Poste) fails both the Luhn and the La Poste digit-sum check")
    if not luhn.is_valid(number):
        raise InvalidIdentifier(f"SIRET '{value}' fails the Luhn check: a digit is probably mistyped")
    try:
        check_siren(number[:9])
    except InvalidIdentifier as exc:
        raise InvalidIdentifier(f"SIRET '{value}': its first 9 digits are not a valid SIREN") from exc
    return number


def check_french_vat(value: str) -> str:
    number = re.sub(r"[\s.\-]", "", value).upper()
    if not re.fullmatch(r"FR[0-9A-Z]{2}\d{9}", number):
        raise InvalidIdentifier(f"French VAT number '{value}' must be FR, a 2-character key and the 9-digit SIREN")
    siren = number[4:]
    key = number[2:4]
    if key.isdigit():
        expected = (12 + 3 * (int(siren) % 97)) % 97
        if int(key) != expected:
            raise InvalidIdentifier(
                f"French VAT number '{value}': key {key} does not match SIREN {siren} (expected {expected:02d})"
            )
    try:
        check_siren(siren)
    except InvalidIdentifier as exc:
        raise InvalidIdentifier(f"French VAT number '{value}' does not contain a valid SIREN") from exc
    return number


def check_vat(value: str) -> str:
    """An EU VAT number (French ones with their key); format and checksum per country."""
    number = re.sub(r"[\s.\-]", "", value).upper()
    if number.startswith("FR"):
        return check_french_vat(value)
    prefix = number[:2]
    if prefix == "GR":
        raise InvalidIdentifier(f"VAT number '{value}': Greek VAT numbers start with EL, not GR")
    if prefix not in EU_VAT_PREFIXES:
        raise InvalidIdentifier(f"VAT number '{value}' must start with an EU country code (DE, IT, ES...)")
    try:
        return str(eu_vat.validate(number))
    except InvalidChecksum as exc:
        raise InvalidIdentifier(f"VAT number '{value}' fails the {prefix} check digit") from exc
    except (InvalidLength, InvalidFormat, InvalidComponent) as exc:
        raise InvalidIdentifier(f"VAT number '{value}' does not have the {prefix} format") from exc
    except ValidationError as exc:
        raise InvalidIdentifier(f"VAT number '{value}' is not valid") from exc


def normalize_identifier(identifier_type: IdentifierType, value: str) -> str:
    """Check an identifier for its type and return its canonical form; raise InvalidIdentifier."""
    value = value.strip()
    if not value:
        raise InvalidIdentifier(f"the {identifier_type.value} identifier is empty")
    if identifier_type is IdentifierType.SIRET:
        return check_siret(value)
    if identifier_type is IdentifierType.UE_HORS_FRANCE:
        number = re.sub(r"[\s.\-]", "", value).upper()
        if number.startswith("FR"):
            raise InvalidIdentifier(f"'{value}' is French: a French structure is identified by its SIRET")
        return check_vat(value)
    if not FREE_FORM.fullmatch(value):
        raise InvalidIdentifier(
            f"{identifier_type.value} identifier '{value}' must be 1-80 letters, digits, spaces or . - / _"
        )
    return value


__all__ = [
    "InvalidIdentifier",
    "check_french_vat",
    "check_siren",
    "check_siret",
    "check_vat",
    "normalize_identifier",
]
