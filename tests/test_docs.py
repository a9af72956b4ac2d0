"""The documentation covers the public surface, with examples that run.

The guide pages' ``>>>`` examples run as doctests (``pytest
--doctest-glob="*.rst" doc``); these tests check that there is something to
run: an example on every guide page, and every public name both in the API
reference (doc/api.rst) and in a guide page's examples.
"""

import ast
import doctest
import importlib
import re
from pathlib import Path

import pytest

DOC = Path(__file__).parents[1] / "doc"
# The pages a reader learns from; user_guide/index.rst is only a table of contents.
GUIDE_PAGES = sorted(
    [DOC / "getting_started.rst"]
    + [page for page in (DOC / "user_guide").glob("*.rst") if page.name != "index.rst"]
)
PUBLIC_MODULES = [
    "skactive",
    "skactive.acquisition",
    "skactive.base",
    "skactive.exceptions",
    "skactive.experiment",
    "skactive.labeling",
    "skactive.utils",
    "skactive.utils.estimator_checks",
]
PUBLIC_NAMES = [
    (module, name)
    for module in PUBLIC_MODULES
    for name in importlib.import_module(module).__all__
    if not name.startswith("__")
]
NAME_IDS = [f"{module}.{name}" for module, name in PUBLIC_NAMES]


def _examples(page):
    """The doctest examples of a page, as pytest's ``--doctest-glob`` finds them."""
    parser = doctest.DocTestParser()
    return parser.get_examples(page.read_text(encoding="utf-8"), name=page.name)


def _api_objects():
    """The objects that doc/api.rst documents: the entries of its autosummary
    lists, resolved under the ``currentmodule`` in force."""
    objects, module = [], None
    in_list = False
    for line in (DOC / "api.rst").read_text(encoding="utf-8").splitlines():
        if match := re.match(r"\.\. currentmodule:: (\S+)", line):
            module = match.group(1)
        if line.startswith(".. "):
            in_list = line.startswith(".. autosummary::")
        elif in_list and re.fullmatch(r"   [\w.]+", line):
            owner, _, attr = f"{module}.{line.strip()}".rpartition(".")
            objects.append(getattr(importlib.import_module(owner), attr))
    return objects


def _identifiers(source):
    """The names an example uses: variables, attributes and imported names
    (not the words inside its strings)."""
    tree = ast.parse(source)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.add(node.name.rpartition(".")[2])
    return names


def test_identifiers_ignore_strings():
    source = 'from skactive import acquisition as a\nf(a.margin, strategy="entropy")\n'
    assert _identifiers(source) == {"acquisition", "a", "f", "margin"}


@pytest.mark.parametrize("page", GUIDE_PAGES, ids=lambda page: page.name)
def test_guide_page_has_runnable_example(page):
    assert _examples(page), f"{page.name} has no >>> example for the doctests to run"


@pytest.mark.parametrize("module, name", PUBLIC_NAMES, ids=NAME_IDS)
def test_public_name_in_api_reference(module, name):
    obj = getattr(importlib.import_module(module), name)
    assert any(obj is documented for documented in _api_objects()), (
        f"{module}.{name} is not in doc/api.rst"
    )


@pytest.mark.parametrize("module, name", PUBLIC_NAMES, ids=NAME_IDS)
def test_public_name_in_guide_example(module, name):
    used = set().union(*(
        _identifiers("".join(example.source for example in _examples(page)))
        for page in GUIDE_PAGES
    ))
    assert name in used, f"{module}.{name} is used in no guide page's >>> example"
