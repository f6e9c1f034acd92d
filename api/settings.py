"""Settings from FACTUREHUB_* environment variables; the defaults run the embedded demo."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from auth.tokens import MAX_TTL_S, MIN_TTL_S
from tenancy.mail import MailConfig
from tenancy.mail.config import DEFAULT_DIR, DEFAULT_FROM, SmtpServer, parse_sender


class Settings(BaseSettings):
    # Errors never repeat the value given: settings carry passwords (the database's, the SMTP server's).
    model_config = SettingsConfigDict(env_prefix="FACTUREHUB_", extra="ignore", hide_input_in_errors=True)

    database_url: str = Field(
        default="sqlite+aiosqlite:///./var/facturehub.db",
        description="sqlite+aiosqlite:///PATH (embedded) or postgresql+asyncpg://USER@HOST/DB",
    )
    host: str = Field(default="127.0.0.1", description="Address `serve` listens on (`--host` wins)")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `serve` listens on (`--port` wins)")
    public_url: str | None = Field(
        default=None, description="The hub's address as clients reach it; default http://HOST:PORT"
    )
    access_token_ttl: int = Field(default=600, ge=MIN_TTL_S, le=MAX_TTL_S, description="Access token lifetime, seconds")
    max_body_bytes: int = Field(default=1_000_000, ge=1024, description="Largest /graphql request body")
    max_url_bytes: int = Field(default=8192, ge=1024, description="Longest /graphql URL (a GET query), 414 above")
    max_upload_bytes: int = Field(
        default=130 * 1024 * 1024, ge=1024, description="Largest multipart /graphql request (an invoice and its files)"
    )
    max_query_cost: int = Field(default=5_000, ge=1)
    max_query_depth: int = Field(default=10, ge=2)
    max_query_tokens: int = Field(default=2_000, ge=100)
    max_aliases: int = Field(default=15, ge=1)
    db_pool_size: int = Field(default=10, ge=1)
    frontend_dir: Path = Field(default=Path("frontend/dist"))
    run_worker: bool = Field(default=True, description="Run a job worker (fluxes, timers) inside `serve`")
    worker_poll_interval: float = Field(default=2.0, gt=0, description="Seconds between job polls when idle")
    worker_lease: float = Field(default=120.0, ge=1, description="Seconds a job stays a worker's without a heartbeat")
    log_format: Literal["text", "json"] = Field(default="text", description="json: one JSON object per line")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO")
    # OAuth authorization server (auth/server.py, auth/routes.py)
    authorization_code_ttl: int = Field(default=300, ge=30, le=600, description="Authorization code lifetime, s")
    refresh_token_ttl: int = Field(default=30 * 86400, ge=300, description="Refresh token lifetime, seconds")
    login_session_ttl: int = Field(default=8 * 3600, ge=300, description="Sign-in session lifetime, seconds")
    login_failure_window: int = Field(default=900, ge=60, description="Window for counting failed sign-ins, s")
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=50, ge=1)
    token_requests_per_minute_per_client: int = Field(default=120, ge=1, description="/oauth/token, per client")
    token_requests_per_minute_per_address: int = Field(default=600, ge=1, description="/oauth/token, per address")
    # Sign-up (auth/signup): each one hashes a password and sends a mail, so both are budgeted
    signup_window: int = Field(default=3600, ge=60, description="Window for counting sign-ups and their mails, s")
    signup_max_per_address: int = Field(default=20, ge=1, description="Sign-up forms sent per client address")
    signup_max_mails_per_recipient: int = Field(default=5, ge=1, description="Sign-up mails to one e-mail address")
    signup_max_structures_per_account: int = Field(default=10, ge=1, description="Structures one account creates")
    # Mail (tenancy/mail): SMTP when a URL is set, else .eml files in mail_dir
    smtp_url: SecretStr | None = Field(
        default=None, description="smtp://USER:PASSWORD@HOST:PORT[?starttls=required] or smtps://...; unset: files"
    )
    smtp_ca_file: Path | None = Field(default=None, description="PEM CA(s) the SMTP server's certificate must chain to")
    mail_from: str = Field(default=DEFAULT_FROM, description="The From of every mail")
    mail_dir: Path = Field(default=DEFAULT_DIR, description="Where mail is written as .eml files without SMTP")

    @field_validator("log_format", mode="before")
    @classmethod
    def _format_in_any_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_any_case(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    # A URL or an address that cannot work stops the start, with the setting's name.
    @field_validator("smtp_url")
    @classmethod
    def _smtp_url_works(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value():
            SmtpServer.from_url(value.get_secret_value())
        return value or None

    @field_validator("mail_from")
    @classmethod
    def _one_sender(cls, value: str) -> str:
        parse_sender(value)
        return value

    def mail_config(self) -> MailConfig:
        return MailConfig.build(
            smtp_url=self.smtp_url.get_secret_value() if self.smtp_url else None,
            sender=self.mail_from,
            directory=self.mail_dir,
            ca_file=self.smtp_ca_file,
        )

    @property
    def issuer(self) -> str:
        """Token issuer, OAuth endpoints' base and (with /graphql) audience: what clients reach."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return listening_url(self.host, self.port)

    @property
    def audience(self) -> str:
        return f"{self.issuer}/graphql"


# A server listening on every interface is reached, on this machine, through loopback.
_WILDCARDS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}  # noqa: S104 (names, not a bind)


def listening_url(host: str, port: int) -> str:
    """The http URL of a server listening on ``host``:``port``, as a client on this machine reaches it."""
    host = _WILDCARDS.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def is_wildcard(host: str) -> bool:
    return host in _WILDCARDS
