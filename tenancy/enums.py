"""Chorus Pro codes used by tenancy, kept verbatim."""

from __future__ import annotations

from enum import StrEnum


class IdentifierType(StrEnum):
    SIRET = "SIRET"
    UE_HORS_FRANCE = "UE_HORS_FRANCE"
    HORS_UE = "HORS_UE"
    RIDET = "RIDET"
    TAHITI = "TAHITI"
    AUTRE = "AUTRE"
    PARTICULIER = "PARTICULIER"


class Role(StrEnum):
    GESTIONNAIRE_PRINCIPAL = "GESTIONNAIRE_PRINCIPAL"
    GESTIONNAIRE = "GESTIONNAIRE"
    UTILISATEUR = "UTILISATEUR"


class Access(StrEnum):
    """Chorus Pro's space subscription modes: consultation only, or modification."""

    READ_ONLY = "READ_ONLY"
    WRITE = "WRITE"
