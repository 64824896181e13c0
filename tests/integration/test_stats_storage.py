"""The stats table against DynamoDB Local: a contribution swapped with its rollups in one transaction, on its
version; rollups read in one Query; rebuild's overwrite."""

from __future__ import annotations

from datetime import UTC, datetime

AT = datetime(2026, 12, 6, 12, tzinfo=UTC)


def test_swap_writes_contribution_and_adds_deltas_once(store):
    scope = "y#1999"
    first = {"t#union": {"places": 2}, "t#u#cs": {"places": 2}}
    assert store.stats.get(scope, "e#ev-s1") is None
    assert store.stats.swap(scope, "e#ev-s1", None, first, {"title_zh": "羽毛球"}, first, AT)
    # The same first swap again (a replay that read nothing) fails its condition and adds nothing.
    assert not store.stats.swap(scope, "e#ev-s1", None, first, {}, first, AT)
    stored = store.stats.get(scope, "e#ev-s1")
    assert stored is not None and stored.version == 1 and stored.data == first
    assert stored.summary == {"title_zh": "羽毛球"}
    second = {"t#union": {"places": 1}, "t#u#math": {"places": 1}}
    deltas = {"t#union": {"places": -1}, "t#u#cs": {"places": -2}, "t#u#math": {"places": 1}}
    assert not store.stats.swap(scope, "e#ev-s1", 0, second, {}, deltas, AT)  # a stale version
    assert store.stats.swap(scope, "e#ev-s1", 1, second, {}, deltas, AT)
    assert store.stats.rollups(scope, consistent=True) == {
        "t#union": {"places": 1},
        "t#u#math": {"places": 1},
        "t#u#cs": {},
    }
    assert [item for item, _ in store.stats.summaries(scope, "e#")] == ["e#ev-s1"]
    store.stats.put_rollups(scope, {"t#union": {"places": 7}, "t#u#cs": {}})
    assert store.stats.rollups(scope, consistent=True) == {"t#union": {"places": 7}, "t#u#math": {"places": 1}}
