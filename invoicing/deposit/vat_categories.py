"""What each VAT category (UNCL 5305: BT-151 on a line, BT-118 in the breakdown) asks of a typed-in invoice.

The hub writes a typed-in invoice itself, so it writes what EN 16931 asks of each category (rules BR-S-*,
BR-Z-*, BR-E-*, BR-AE-*, BR-IC-*, BR-G-*, BR-O-*) and leaves out what a category forbids (a rate or any VAT
identifier for O, an exemption reason for S and Z). What only the supplier can give (the reason of an
exemption, the buyer's VAT number for a reverse charge, the delivery date of an intra-community supply) is
asked for, and its absence is refused on its field before anything is written: never an invoice the official
validation would refuse on a document the supplier did not write. L and M (the Canary Islands' IGIC, Ceuta and
Melilla's IPSI) are taxes no French public buyer is invoiced under: a typed-in invoice does not carry them.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from invoicing.deposit.problems import Problem, platform_problem
from invoicing.platform_codes import PlatformCode

STANDARD_RATE = Decimal("20.00")  # France's normal rate, the form's default for S
ZERO = Decimal("0.00")
# BR-CO-09 asks for the ISO 3166-1 prefix; VAT numbers of EU member states run to 12 characters after it.
VAT_ID = re.compile(r"^[A-Z]{2}[0-9A-Z+*.]{2,13}$")
# French law (CGI, annexe II, art. 242 nonies A, I-4° and 13°) asks for the customer's VAT number on a reverse
# charge invoice, where EN 16931 (BR-AE-02) would take the buyer's legal registration instead.
CGI_BUYER_VAT = "CGI ann. II art. 242 nonies A"


class Rate(enum.Enum):
    POSITIVE = "positive"  # S: BR-S-05
    ZERO = "zero"  # Z, E, AE, K, G: BR-*-05
    NONE = "none"  # O: BR-O-05


class Exemption(enum.Enum):
    FORBIDDEN = "forbidden"  # S, Z: BR-S-10, BR-Z-10
    GIVEN = "given"  # E: the supplier says which exemption (BR-E-10)
    STANDARD = "standard"  # AE, K, G, O: the category is the reason; the hub writes its code and text


@dataclass(frozen=True)
class Category:
    code: str
    rules: str  # the prefix of its EN 16931 rules
    rate: Rate
    exemption: Exemption
    codes: tuple[str, ...] = ()  # the VATEX codes (BT-121) that say this category; the first is written
    text: str | None = None  # the standard text written as BT-120 when the supplier gives none
    buyer_vat: bool = False  # the buyer's VAT identifier (BT-48) is required
    delivery_date: bool = False  # BR-IC-11: the actual delivery date (BT-72)

    def rule(self, number: int) -> str:
        return f"{self.rules}-{number:02d}"


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category("S", "BR-S", Rate.POSITIVE, Exemption.FORBIDDEN),
        Category("Z", "BR-Z", Rate.ZERO, Exemption.FORBIDDEN),
        Category("E", "BR-E", Rate.ZERO, Exemption.GIVEN),
        Category("AE", "BR-AE", Rate.ZERO, Exemption.STANDARD, ("VATEX-EU-AE", "VATEX-FR-AE"), "Autoliquidation", True),
        Category(
            "K",
            "BR-IC",
            Rate.ZERO,
            Exemption.STANDARD,
            ("VATEX-EU-IC",),
            "Livraison intracommunautaire exonérée",
            buyer_vat=True,
            delivery_date=True,
        ),
        Category("G", "BR-G", Rate.ZERO, Exemption.STANDARD, ("VATEX-EU-G",), "Exportation hors de l'Union européenne"),
        Category("O", "BR-O", Rate.NONE, Exemption.STANDARD, ("VATEX-EU-O",), "Hors champ d'application de la TVA"),
    )
}
NOT_SUBJECT = "O"


class TaxedLine(Protocol):
    """What of a typed-in line (``typed.LineDraft``) its category concerns."""

    @property
    def vat_category(self) -> str: ...
    @property
    def vat_rate(self) -> Decimal | None: ...
    @property
    def exemption_reason(self) -> str | None: ...
    @property
    def exemption_code(self) -> str | None: ...


@dataclass(frozen=True)
class Reason:
    """The exemption of one category's breakdown (BT-120 text, BT-121 code)."""

    text: str | None
    code: str | None


def category_of(code: str) -> Category | None:
    return CATEGORIES.get(code.strip().upper())


def written_rate(category: Category, given: Decimal | None) -> Decimal | None:
    """The rate a line of ``category`` carries (BT-152): what was given for S, 0 or none for the others."""
    if category.rate is Rate.NONE:
        return None
    if category.rate is Rate.ZERO:
        return ZERO
    return STANDARD_RATE if given is None else given


def reasons(lines: Sequence[TaxedLine]) -> dict[str, Reason]:
    """Per category of the lines, the exemption its breakdown says (checked consistent by ``problems``)."""
    found: dict[str, Reason] = {}
    for line in lines:
        category = category_of(line.vat_category)
        if category is None or category.exemption is Exemption.FORBIDDEN:
            continue
        given = Reason(_clean(line.exemption_reason), _code(line.exemption_code))
        previous = found.get(category.code)
        if previous is None or (previous.text is None and previous.code is None):
            found[category.code] = given
    return {
        code: Reason(r.text or CATEGORIES[code].text, r.code or (CATEGORIES[code].codes or (None,))[0])
        for code, r in found.items()
    }


def clean_vat_id(value: str | None) -> str | None:
    compact = re.sub(r"[\s.\-]", "", value or "").upper()
    return compact or None


def problems(
    lines: Sequence[TaxedLine], *, seller_vat: str | None, buyer_vat: str | None, delivery_date: date | None
) -> list[Problem]:
    """What the lines' VAT categories need and lack, each on the field to change."""
    found: list[Problem] = []
    categories: list[tuple[int, Category]] = []
    for index, line in enumerate(lines):
        category = category_of(line.vat_category)
        if category is None:
            found.append(_on(index, "vatCategory", "", category=line.vat_category))
            continue
        categories.append((index, category))
        found += _rate_problems(index, category, line.vat_rate)
        if category.code != NOT_SUBJECT and seller_vat is None:
            found.append(_on(index, "vatCategory", "seller-vat", category=category.code, rule=category.rule(2)))
    found += _reason_problems(lines, categories)
    not_subject = [index for index, category in categories if category.code == NOT_SUBJECT]
    if not_subject:
        found += [
            _on(index, "vatCategory", "alone", rule="BR-O-12", first=not_subject[0] + 1)
            for index, category in categories
            if category.code != NOT_SUBJECT
        ]
    found += _buyer_problems(buyer_vat, categories, not_subject)
    for index, category in categories:
        if category.delivery_date and delivery_date is None:
            found.append(
                platform_problem(
                    PlatformCode.VAT_CATEGORY, "deliveryDate", "BT-72", "delivery-date", line=index + 1, rule="BR-IC-11"
                )
            )
            break
    return found


def _rate_problems(index: int, category: Category, rate: Decimal | None) -> list[Problem]:
    if rate is None:
        return []
    if category.rate is Rate.POSITIVE and rate <= 0:
        return [_on(index, "vatRate", "rate-positive", rule=category.rule(5), rate=rate)]
    if category.rate is Rate.ZERO and rate != 0:
        return [_on(index, "vatRate", "rate-zero", category=category.code, rule=category.rule(5), rate=rate)]
    if category.rate is Rate.NONE and rate != 0:  # 0 says "no VAT" as well as no rate does: it is left out
        return [_on(index, "vatRate", "rate-none", rule=category.rule(5), rate=rate)]
    return []


def _reason_problems(lines: Sequence[TaxedLine], categories: Sequence[tuple[int, Category]]) -> list[Problem]:
    found: list[Problem] = []
    first: dict[str, tuple[int, Reason]] = {}
    for index, category in categories:
        line = lines[index]
        given = Reason(_clean(line.exemption_reason), _code(line.exemption_code))
        if category.exemption is Exemption.FORBIDDEN:
            if given.text or given.code:
                field = "vatExemptionReason" if given.text else "vatExemptionReasonCode"
                found.append(_on(index, field, "reason-forbidden", category=category.code, rule=category.rule(10)))
            continue
        if given.code and category.codes and given.code not in category.codes:
            found.append(
                _on(
                    index,
                    "vatExemptionReasonCode",
                    "reason-code",
                    category=category.code,
                    code=" / ".join(category.codes),
                    value=given.code,
                )
            )
            continue
        if not (given.text or given.code):
            first.setdefault(category.code, (index, given))
            continue
        earlier = first.get(category.code)
        if earlier is None or not (earlier[1].text or earlier[1].code):
            first[category.code] = (index, given)
        elif earlier[1] != given:
            field = "vatExemptionReason" if given.text != earlier[1].text else "vatExemptionReasonCode"
            found.append(
                _on(index, field, "reason-differs", category=category.code, rule=category.rule(1), first=earlier[0] + 1)
            )
    for code, (index, given) in first.items():
        if CATEGORIES[code].exemption is Exemption.GIVEN and not (given.text or given.code):
            found.append(_on(index, "vatExemptionReason", "reason-required", category=code, rule="BR-E-10"))
    return found


def _buyer_problems(
    given: str | None, categories: Sequence[tuple[int, Category]], not_subject: Sequence[int]
) -> list[Problem]:
    buyer_vat = clean_vat_id(given)
    if buyer_vat is not None and not_subject:
        return [_buyer("buyer-vat-forbidden", rule="BR-O-02")]
    if buyer_vat is not None and not VAT_ID.match(buyer_vat):
        return [_buyer("buyer-vat-format", rule="BR-CO-09", value=given)]
    for index, category in categories:
        if category.buyer_vat and buyer_vat is None:
            rule = category.rule(2) if category.code == "K" else CGI_BUYER_VAT
            return [_buyer("buyer-vat-required", category=category.code, line=index + 1, rule=rule)]
    return []


_TERMS = {
    "vatCategory": "BT-151",
    "vatRate": "BT-152",
    "vatExemptionReason": "BT-120",
    "vatExemptionReasonCode": "BT-121",
}


def _on(index: int, field: str, case: str, **params: object) -> Problem:
    return platform_problem(
        PlatformCode.VAT_CATEGORY, f"lines.{index}.{field}", _TERMS[field], case, line=index + 1, **params
    )


def _buyer(case: str, **params: object) -> Problem:
    return platform_problem(PlatformCode.VAT_CATEGORY, "buyerVatIdentifier", "BT-48", case, **params)


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _code(value: str | None) -> str | None:
    cleaned = _clean(value)
    return cleaned.upper() if cleaned else None
