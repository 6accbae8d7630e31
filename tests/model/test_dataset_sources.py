"""Dataset.with_sources: the first located descendant of every dotted prefix."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from juesuan.core.findings import Location
from juesuan.pipeline import load, sample_path

keys = st.lists(
    st.lists(st.sampled_from(["a", "b", "0", "1", ""]), min_size=1, max_size=5).map(".".join),
    max_size=30,
)


def _first_children(sources: dict[str, Location]) -> dict[str, Location]:
    """The definition: every proper prefix of every key, the earliest key winning."""
    first: dict[str, Location] = {}
    for key, where in sources.items():
        parts = key.split(".")
        for n in range(1, len(parts)):
            first.setdefault(".".join(parts[:n]), where)
    return first


@given(keys)
def test_first_child_map_is_the_definition(paths: list[str]) -> None:
    ds, _ = load(sample_path("putuo"))
    assert ds is not None
    sources = {p: Location(file="x.yaml", line=i + 1, path=p) for i, p in enumerate(paths)}
    ds = ds.model_copy()
    ds.with_sources("x.yaml", sources)
    first = _first_children(sources)
    assert ds.__pydantic_private__["_first_child"] == first
    for prefix in first.keys() - sources.keys():  # a record of several values: its first one
        if prefix:
            assert ds.locate(prefix) is first[prefix]


def test_first_child_map_of_a_sample() -> None:
    ds, _ = load(sample_path("seed"))
    assert ds is not None
    private = ds.__pydantic_private__
    assert private["_first_child"] == _first_children(private["_sources"])
