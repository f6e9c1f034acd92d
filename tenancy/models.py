"""Tenancy tables: structures (the tenants), their services and their members."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text, false, func
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.columns import EnumText
from tenancy.db import Base, TenantScoped
from tenancy.enums import Access, IdentifierType, Role


class Structure(Base):
    """A Chorus Pro structure: a public entity or a supplier; its id is the tenant id."""

    __tablename__ = "structures"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    identifier_type: Mapped[IdentifierType] = mapped_column(EnumText(IdentifierType, 20))
    identifier: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    is_public: Mapped[bool] = mapped_column(Boolean)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    vat_number: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    address_line3: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(20))
    town: Mapped[str | None] = mapped_column(String(100))
    country_code: Mapped[str] = mapped_column(String(2), default="FR")
    country_name: Mapped[str | None] = mapped_column(String(100))
    # Chorus Pro recipient parameters (annuaire columns GestionService, GestionEngagement, ...).
    service_code_required: Mapped[bool] = mapped_column(Boolean, default=False)
    engagement_required: Mapped[bool] = mapped_column(Boolean, default=False)
    service_or_engagement_required: Mapped[bool] = mapped_column(Boolean, default=False)
    payment_status_reported: Mapped[bool] = mapped_column(Boolean, default=True)
    is_moa: Mapped[bool] = mapped_column(Boolean, default=False)
    is_moa_only: Mapped[bool] = mapped_column(Boolean, default=False)
    edi_emitter: Mapped[bool] = mapped_column(Boolean, default=False)
    edi_receiver: Mapped[bool] = mapped_column(Boolean, default=False)
    # Members whose role allows administering the workspace get no token for it without a second factor.
    require_admin_two_factor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Lower-cased, accent-free name/identifier/postcode/town: what directory search matches against.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        Index("uq_structures_identifier", "identifier_type", "identifier", unique=True),
        Index("ix_structures_public_name", "is_public", "name", "id"),
    )


class Service(TenantScoped, Base):
    """A unit of a structure that invoices are addressed to (code service)."""

    __tablename__ = "services"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    engagement_required: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (Index("uq_services_tenant_code", "tenant_id", "code", unique=True),)


class Membership(TenantScoped, Base):
    """A user's attachment to a structure (rattachement), with a role and an access mode."""

    __tablename__ = "memberships"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    role: Mapped[Role] = mapped_column(EnumText(Role, 30))
    access: Mapped[Access] = mapped_column(EnumText(Access, 10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        Index("uq_memberships_tenant_user", "tenant_id", "user_id", unique=True),
        # Cross-tenant lookup "which workspaces does this user have" (privileged, at sign-in).
        Index("ix_memberships_user", "user_id"),
    )


__all__ = ["Membership", "Service", "Structure"]
