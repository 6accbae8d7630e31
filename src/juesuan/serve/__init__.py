"""The disclosure workflow as a multi-user service (``juesuan serve``).

Layers, outermost first:

- ``api/``: the JSON API under ``/api/v1`` (FastAPI); parses requests, calls services.
- ``services/``: one function per use case (organisation, datasets, workflow, artifacts,
  check, audit). Both the API and the server-rendered pages call these; each starts with
  an authorisation decision from :mod:`juesuan.serve.policy`.
- ``policy``: every authorisation rule of the service, in one place.
- ``models`` + ``db`` + ``migrations/``: SQLAlchemy 2 ORM on SQLite (default) or PostgreSQL.
- ``store``: the content-addressed artifact store on disk.

Loading, rules, scoring and writing come from :mod:`juesuan.pipeline`; nothing here
re-implements them.
"""
