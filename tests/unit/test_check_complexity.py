"""The complexity gate of `make test` (devtools/check_complexity.py) on small code snippets."""

from devtools import check_complexity
from devtools.check_complexity import source_offences


def _branches(name: str, count: int, indent: str = "") -> str:
    """A function with `count` if statements: cyclomatic complexity count + 1."""
    body = "".join(f"{indent}    if x == {i}:\n{indent}        return {i}\n" for i in range(count))
    return f"{indent}def {name}(x):\n{body}{indent}    return -1\n"


def test_a_function_at_the_limit_passes_and_one_above_it_is_named():
    source = _branches("simple", 14) + _branches("tangled", 15)
    offences = source_offences(source, "m.py")
    assert [(o.name, o.measure, o.limit, o.unit) for o in offences] == [("tangled", 16, 15, "cyclomatic")]
    assert str(offences[0]) == "m.py:31 tangled: 16 cyclomatic (limit 15)"


def test_methods_closures_and_inner_classes_are_measured_but_a_class_is_not():
    source = (
        "class Outer:\n"
        + _branches("method", 3, "    ")
        + "    class Inner:\n"
        + _branches("inner", 3, "        ")
        + "def outer(x):\n"
        + _branches("closure", 3, "    ")
        + "    return closure(x)\n"
    )
    names = sorted(o.name for o in source_offences(source, "m.py", max_complexity=3))
    # Outer's complexity (its methods added up) is not a function's; each method, closure and inner method is.
    assert names == ["Inner.inner", "Outer.method", "closure"]


def test_boolean_operators_and_comprehensions_count_as_radon_counts_them():
    source = "def f(a, b, c):\n    return [x for x in a if x and b or c]\n"
    # 1 + the comprehension's for and if + one for each and/or
    assert source_offences(source, "m.py", max_complexity=5) == []
    assert [o.measure for o in source_offences(source, "m.py", max_complexity=4)] == [5]


def test_a_module_above_the_line_limit_is_an_offence():
    source = "x = 1\n" * 801
    assert [(o.name, o.measure, o.unit) for o in source_offences(source, "big.py")] == [("module", 801, "lines")]
    assert source_offences("x = 1\n" * 800, "ok.py") == []


def test_the_tree_is_sorted_worst_first_and_report_mode_exits_0(tmp_path, monkeypatch, capsys):
    package = tmp_path / "chalicelib"
    package.mkdir()
    (package / "a.py").write_text(_branches("sixteen", 15), encoding="utf-8")
    (package / "b.py").write_text(_branches("twenty", 19) + "y = 2\n" * 800, encoding="utf-8")
    offences = check_complexity.tree_offences(package)
    assert [(o.path, o.name) for o in offences] == [
        ("chalicelib/b.py", "twenty"),
        ("chalicelib/a.py", "sixteen"),
        ("chalicelib/b.py", "module"),
    ]
    monkeypatch.setattr(check_complexity, "ROOT", tmp_path)
    assert check_complexity.main(["--report"]) == 0
    assert check_complexity.main([]) == 1
    assert "chalicelib/b.py:1 twenty: 20 cyclomatic (limit 15)" in capsys.readouterr().out
    (package / "a.py").write_text("def ok():\n    return 1\n", encoding="utf-8")
    (package / "b.py").write_text("", encoding="utf-8")
    assert check_complexity.main([]) == 0
