"""Service settings: home directory, database URL, secret key, limits."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

DATABASE_ENV = "JUESUAN_DATABASE_URL"
HOME_ENV = "JUESUAN_HOME"
SECRET_ENV = "JUESUAN_SECRET_KEY"


def home_dir() -> Path:
    """The juesuan home directory: ``$JUESUAN_HOME`` or ``~/.juesuan``."""
    env = os.environ.get(HOME_ENV)
    return Path(env).expanduser() if env else Path.home() / ".juesuan"


def default_database_url(home: Path) -> str:
    return f"sqlite:///{home / 'juesuan.db'}"


def resolve_database_url(url: str | None, home: Path) -> str:
    """``url`` if given, else ``$JUESUAN_DATABASE_URL``, else the embedded SQLite file."""
    return url or os.environ.get(DATABASE_ENV) or default_database_url(home)


def load_secret_key(home: Path) -> str:
    """The signing key: ``$JUESUAN_SECRET_KEY`` or ``secret.key`` in the home directory,
    generated (mode 0600) on first start. Never part of the repository."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env
    path = home / "secret.key"
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    try:
        os.link(tmp, path)  # first writer wins if two processes start together
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text(encoding="ascii").strip()


@dataclass(frozen=True)
class Limits:
    """Bounds on everything that comes from outside."""

    dataset_bytes: int = 10 * 1024 * 1024  # an uploaded YAML or workbook
    check_bytes: int = 30 * 1024 * 1024  # a published document to check
    yaml_bytes: int = 4 * 1024 * 1024
    yaml_aliases: int = 200
    zip_entries: int = 2000
    zip_total_bytes: int = 200 * 1024 * 1024  # uncompressed
    zip_ratio: int = 200  # uncompressed / compressed for any member above 1 MB
    pdf_pages: int = 300
    login_failures_per_user: int = 8
    login_failures_per_address: int = 30
    login_window_seconds: int = 900


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    secret_key: str
    token_minutes: int = 8 * 60
    limits: Limits = field(default_factory=Limits)

    @property
    def artifact_dir(self) -> Path:
        return self.home / "artifacts"

    @classmethod
    def from_environment(
        cls, database_url: str | None = None, home: Path | None = None, **kwargs: object
    ) -> Settings:
        home = home or home_dir()
        home.mkdir(parents=True, exist_ok=True)
        return cls(
            home=home,
            database_url=resolve_database_url(database_url, home),
            secret_key=load_secret_key(home),
            **kwargs,  # type: ignore[arg-type]
        )
