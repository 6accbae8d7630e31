"""What every service call needs: settings, database, artifact store and shared caches."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from juesuan.serve.config import Settings
from juesuan.serve.db import Database
from juesuan.serve.store import ArtifactStore


class LRU:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass
class ServiceContext:
    settings: Settings
    db: Database
    store: ArtifactStore
    findings_cache: LRU = field(default_factory=lambda: LRU(256))  # analysis by content
    versions: LRU = field(default_factory=lambda: LRU(1024))  # immutable dataset versions
    artifacts: LRU = field(default_factory=lambda: LRU(4096))  # key → (sha256, size) stored
    _build_locks: dict[str, threading.Lock] = field(default_factory=dict)
    _locks_guard: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(cls, settings: Settings, db: Database | None = None) -> ServiceContext:
        store = ArtifactStore(settings.artifact_dir)
        store.clean_temporary()
        return cls(
            settings=settings,
            db=db or Database(settings.database_url),
            store=store,
        )

    def build_lock(self, key: str) -> threading.Lock:
        """One lock per artifact key: a document is built once even when asked for twice."""
        with self._locks_guard:
            return self._build_locks.setdefault(key, threading.Lock())


def iso(value: datetime | None) -> str | None:
    """A stored time as ISO 8601 in UTC (SQLite hands back naive datetimes)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()
