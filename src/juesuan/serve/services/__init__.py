"""Use cases of the service, shared by the JSON API and the pages.

Every function takes the :class:`~juesuan.serve.services.context.ServiceContext`, the
:class:`~juesuan.serve.policy.Actor` and plain arguments, asks the policy first, and returns
plain views (dataclasses with ``to_dict()``) or raises a
:class:`~juesuan.serve.errors.ServiceError`.
"""
