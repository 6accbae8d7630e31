"""Where batch tasks run: a Dask cluster (a local one by default, or one by address), or the
calling process itself (``workers=0``, for small jobs and the service).

Only this module imports ``dask``/``distributed``. :func:`map_unordered` keeps a bounded
number of tasks in flight and yields each result as it arrives, so the client never holds
more than a window of results, whatever the number of inputs.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

SCHEDULER_TIMEOUT = 20  # seconds to reach a scheduler given by address
WARM_TIMEOUT = 120  # seconds a worker may take to warm up before the batch goes on anyway


class EngineError(Exception):
    """The cluster cannot be started or reached; the message is Chinese, for the user."""


@dataclass(frozen=True)
class TaskFailure:
    """A task that did not return: its worker died repeatedly, or the task itself raised."""

    reason: str  # Chinese, for the summary
    retryable: bool  # rerunning may succeed (a crash, a lost worker): not cached


class Engine:
    """Runs ``func(arg)`` for many args; results come back in completion order."""

    def __init__(self, client: Any | None, workers: int) -> None:
        self.client = client
        self.workers = workers

    @property
    def description(self) -> str:
        if self.client is None:
            return "本进程（不使用 Dask）"
        return f"Dask 集群 {self.client.scheduler.address}，{self.workers} 个工作进程"

    def map_unordered(
        self, func: Callable[[Any], Any], args: Iterable[Any], keys: Sequence[str] | None = None
    ) -> Iterator[tuple[int, Any]]:
        """Yield ``(index, result)`` for every ``args[index]`` (``args`` is consumed lazily, a
        window at a time); a task that could not complete yields a :class:`TaskFailure`."""
        if self.client is None:
            for i, arg in enumerate(args):
                try:
                    yield i, func(arg)
                except Exception as exc:  # a task must not stop the batch
                    yield i, TaskFailure(f"处理时出现内部错误（{type(exc).__name__}）", False)
            return
        yield from _dask_map(self.client, func, args, keys, window=max(4, self.workers * 4))

    def warm_up(self, func: Callable[[Any], Any], arg: Any) -> None:
        """Run ``func(arg)`` once on every worker (imports, tables, caches), so the first items
        do not pay for them; waits until all are done. Failures are ignored: a real task
        meets the same problem and reports it for its item."""
        if self.client is None:
            return
        from distributed import wait

        run = uuid.uuid4().hex[:12]
        futures = [
            self.client.submit(
                func,
                arg,
                key=f"juesuan-warm-{run}-{i}",
                workers=[address],
                allow_other_workers=False,
                pure=False,
            )
            for i, address in enumerate(self.client.scheduler_info().get("workers", {}))
        ]
        try:
            wait(futures, timeout=WARM_TIMEOUT)
        except Exception:  # a slow or lost worker: its real tasks will tell
            pass
        for future in futures:
            future.release()


class EngineStarter:
    """Opens an engine (and warms its workers) in a background thread, so a local cluster
    starts while the client plans the batch; :meth:`get` waits for it. Use as a context
    manager: leaving it closes the engine (after its start has finished)."""

    def __init__(
        self,
        workers: int | None,
        scheduler: str | None,
        warm: tuple[Callable[[Any], Any], Any] | None = None,
    ) -> None:
        self._stack = ExitStack()
        self._engine: Engine | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._open, args=(workers, scheduler, warm), name="juesuan-engine-start"
        )
        self._thread.start()

    def _open(
        self,
        workers: int | None,
        scheduler: str | None,
        warm: tuple[Callable[[Any], Any], Any] | None,
    ) -> None:
        try:
            engine = self._stack.enter_context(open_engine(workers, scheduler))
            if warm is not None:
                engine.warm_up(*warm)
            self._engine = engine
        except BaseException as exc:  # handed to the caller by get()
            self._error = exc

    def get(self) -> Engine:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._engine is not None
        return self._engine

    def __enter__(self) -> EngineStarter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join()
        self._stack.close()


def _dask_map(
    client: Any,
    func: Callable[[Any], Any],
    args: Iterable[Any],
    keys: Sequence[str] | None,
    window: int,
) -> Iterator[tuple[int, Any]]:
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    index_of: dict[str, int] = {}
    pending = iter(enumerate(args))

    def submit() -> Any | None:
        nxt = next(pending, None)
        if nxt is None:
            return None
        i, arg = nxt
        key = keys[i] if keys is not None else None
        fut = client.submit(func, arg, key=key, pure=False, retries=0)
        index_of[fut.key] = i
        return fut

    first = [f for f in (submit() for _ in range(window)) if f is not None]
    stream = as_completed(first, loop=client.loop)
    for fut in stream:
        i = index_of.pop(fut.key)
        try:
            result = fut.result()
        except KilledWorker:
            result = TaskFailure(
                "处理该项时工作进程多次异常退出（已自动重试），可能是文件触发了崩溃或内存不足", True
            )
        except Exception as exc:  # lost scheduler, cancelled, or the task raised
            result = TaskFailure(f"处理时出现错误（{type(exc).__name__}）", True)
        fut.release()
        yield i, result
        nxt = submit()
        if nxt is not None:
            stream.add(nxt)


@contextmanager
def open_engine(workers: int | None = None, scheduler: str | None = None) -> Iterator[Engine]:
    """An :class:`Engine`: on the scheduler at ``scheduler`` (``tcp://host:8786``), else on a
    local cluster of ``workers`` processes (default: one per CPU), else in this process when
    ``workers == 0``."""
    if scheduler is None and workers == 0:
        yield Engine(None, 0)
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise EngineError("未安装 dask/distributed，无法并行处理") from exc
    if scheduler is not None:
        if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
            raise EngineError(f"调度器地址「{scheduler}」应形如 tcp://主机:8786")
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise EngineError(f"无法连接调度器「{scheduler}」（{type(exc).__name__}）") from None
        try:
            n = len(client.scheduler_info().get("workers", {}))
            if n == 0:
                client.wait_for_workers(1, timeout=SCHEDULER_TIMEOUT)
                n = len(client.scheduler_info().get("workers", {}))
        except (OSError, TimeoutError):
            client.close()
            raise EngineError(f"调度器「{scheduler}」没有可用的工作进程") from None
        try:
            yield Engine(client, n)
        finally:
            client.close()
        return
    import dask

    n = workers if workers is not None and workers > 0 else (os.cpu_count() or 1)
    # Non-daemonic worker processes may fork: ``batch check`` then gives every document a
    # time and memory budget in a child process. The nanny reads this setting whenever it
    # (re)starts a worker, so it holds for the cluster's whole life.
    # One task at a time per (single-threaded) worker: a worker that crashes on an item then
    # has no innocent neighbour queued on it to be counted among the item's failures.
    # No dashboard, so nobody reads the workers' statistical profile nor the system monitor;
    # the event-loop tick only feeds a warning. Sampling them less often cuts the idle cost of
    # a 2-worker cluster from ~5.7 % to ~1.5 % of a core (nannies poll worker memory 2×/s).
    settings = {
        "distributed.worker.daemon": False,
        "distributed.scheduler.worker-saturation": 1.0,
        "distributed.worker.profile.enabled": False,
        "distributed.admin.tick.interval": "1s",
        "distributed.admin.system-monitor.interval": "2s",
        "distributed.worker.memory.monitor-interval": "500ms",
    }
    with dask.config.set(settings):
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        )
        client = Client(cluster, set_as_default=False)
        try:
            yield Engine(client, n)
        finally:
            client.close()
            cluster.close()
