"""Scalars where strawberry's own accept more than the API can mean."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import strawberry
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.types.scalar import ScalarDefinition


def parse_decimal(value: object) -> Decimal:
    """A finite decimal, from a string (as documented) or a number; NaN, sNaN and infinities are refused.

    strawberry's Decimal takes them all, and a NaN then breaks a comparison, a quantize or a validator far
    from the input that carried it (an unexpected error instead of a request error).
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise StrawberryInputCoercionError(
            f'Decimal cannot represent a {type(value).__name__}: send a decimal number as a string, e.g. "12.50"'
        )
    shown = str(value) if len(str(value)) <= 40 else f"{str(value)[:40]}..."
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise StrawberryInputCoercionError(f'Decimal cannot represent "{shown}": not a decimal number') from None
    if not number.is_finite():
        raise StrawberryInputCoercionError(f'Decimal cannot represent "{shown}": the number must be finite')
    return number


DECIMAL: ScalarDefinition = strawberry.scalar(
    name="Decimal",
    description="Decimal (fixed-point)",  # strawberry's own: the published schema stays the same
    serialize=str,
    parse_value=parse_decimal,
)
