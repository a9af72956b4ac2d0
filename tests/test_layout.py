"""The layout rules that import-linter cannot state: no private name crosses
a package boundary, and the package root holds only public modules.

A name is private when a component of its dotted path after ``skactive``
starts with an underscore: a private package (``skactive._samplers``), a
private module (``skactive.acquisition._diversity``) or a private name
(``_lazy_greedy``). It belongs to the package (the directory) that holds it,
and only the modules of that package and of its subpackages may import it:
``acquisition/_regression.py`` may import ``_lazy_greedy`` from
``acquisition/_greedy.py``, ``_samplers/greedy.py`` may not.

Two exceptions, both for what the whole library shares:

- the private modules of ``skactive.utils`` (its toolbox: validation,
  chunks, dask plumbing) belong to the whole package, as
  ``sklearn.utils._param_validation`` does in scikit-learn; their private
  names do not;
- ``skactive.utils._sklearn_compat`` re-exports scikit-learn's own names,
  private ones included, under scikit-learn's spelling: it is the one module
  that adapts to scikit-learn's versions, so everyone imports them from it.
"""

import ast
from pathlib import Path

import pytest

import skactive

ROOT = Path(skactive.__file__).parent
MODULE_FILES = sorted(ROOT.rglob("*.py"))
# Packages whose private modules belong to the whole library (see above).
SHARED_PACKAGES = {"skactive.utils": "skactive"}
SKLEARN_NAMES = "skactive.utils._sklearn_compat"
# The public modules allowed at the root, besides __init__ and __main__.
ROOT_MODULES = {"base.py", "exceptions.py"}


def _module_name(path):
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(module_name):
    """The package (dotted) that holds ``module_name``: itself for a package."""
    path = ROOT.parent.joinpath(*module_name.split("."))
    return module_name if path.is_dir() else module_name.rpartition(".")[0]


def _is_private(component):
    return component.startswith("_") and not component.startswith("__")


def _owners(dotted):
    """For each private component of ``dotted``, the package that owns it."""
    parts = dotted.split(".")
    for i, component in enumerate(parts[1:], start=1):
        holder = ".".join(parts[:i])  # the package or module that holds it
        if not _is_private(component) or holder == SKLEARN_NAMES:
            continue
        owner = _package_of(holder)
        path = ROOT.parent.joinpath(*parts[: i + 1])
        if path.is_dir() or path.with_suffix(".py").exists():  # a module
            owner = SHARED_PACKAGES.get(owner, owner)
        yield component, owner


def _imported(module_name, tree):
    """Every ``skactive`` name imported by the module, dotted, with its line."""
    package = _package_of(module_name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                yield f"{source}.{alias.name}", node.lineno


def private_crossings(path, source=None):
    """``(line, imported name, private component, owner)`` for each import in
    the module at ``path`` (of text ``source``, by default the file's) of a
    private name that belongs to another package."""
    module_name = _module_name(path)
    package = _package_of(module_name)
    source = path.read_text() if source is None else source
    tree = ast.parse(source, filename=str(path))
    for dotted, line in _imported(module_name, tree):
        if dotted.split(".")[0] != "skactive":
            continue
        for component, owner in _owners(dotted):
            if package != owner and not package.startswith(owner + "."):
                yield line, dotted, component, owner


@pytest.mark.parametrize("path", MODULE_FILES,
                         ids=[str(p.relative_to(ROOT.parent)) for p in MODULE_FILES])
def test_no_private_name_crosses_a_package_boundary(path):
    crossings = [f"{path.relative_to(ROOT.parent)}:{line} imports {dotted}: "
                 f"{component} is private to {owner}"
                 for line, dotted, component, owner in private_crossings(path)]
    assert not crossings, "\n".join(crossings)


def test_the_root_holds_only_public_modules():
    modules = {p.name for p in ROOT.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert modules == ROOT_MODULES


def test_the_rule_catches_a_crossing():
    # A module of _samplers that imports a private helper of acquisition.
    source = "from ..acquisition._greedy import _lazy_greedy\n"
    crossings = private_crossings(ROOT / "_samplers" / "greedy.py", source)
    assert [c[2:] for c in crossings] == [
        ("_greedy", "skactive.acquisition"),
        ("_lazy_greedy", "skactive.acquisition"),
    ]
    # Within acquisition itself, the same import is allowed.
    assert not list(private_crossings(ROOT / "acquisition" / "_regression.py",
                                      source))
