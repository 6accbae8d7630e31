"""Alembic environment: the engine comes from the caller (``juesuan db upgrade``)."""

from __future__ import annotations

from alembic import context

from juesuan.serve.models import Base


def run_migrations(config) -> None:  # type: ignore[no-untyped-def]
    engine = config.attributes.get("engine")
    if engine is None:  # the alembic command line: build one from the configured URL
        from juesuan.serve.db import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


try:
    _config = context.config
except AttributeError:  # imported outside a migration run (a test imports every module)
    _config = None
if _config is not None:
    run_migrations(_config)
