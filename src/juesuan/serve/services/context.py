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


class BytesCache:
    """Small immutable files kept in memory, least recently used dropped first, bounded by
    their total size (serving from memory avoids a thread hop per 64 KB chunk)."""

    def __init__(self, budget: int, largest: int) -> None:
        self.budget, self.largest = budget, largest
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: str, data: bytes) -> None:
        if len(data) > self.largest:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = data
            self._size += len(data)
            while self._size > self.budget:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)


@dataclass
class ServiceContext:
    settings: Settings
    db: Database
    store: ArtifactStore
    findings_cache: LRU = field(default_factory=lambda: LRU(256))  # findings by content
    analyses: LRU = field(default_factory=lambda: LRU(8))  # whole analyses, by content
    versions: LRU = field(default_factory=lambda: LRU(1024))  # immutable dataset versions
    artifacts: LRU = field(default_factory=lambda: LRU(4096))  # key → (sha256, size) stored
    figures: LRU = field(default_factory=lambda: LRU(256))  # computed figures of a version
    artifact_bytes: BytesCache = field(
        default_factory=lambda: BytesCache(budget=64 * 1024 * 1024, largest=8 * 1024 * 1024)
    )
    # One library analysis at a time per process (see datasets.analyse_upload).
    analysis_slots: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(1))
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
