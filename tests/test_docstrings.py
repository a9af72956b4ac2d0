"""Every public name has a numpydoc docstring with a runnable Examples section
(run by pytest's doctest collection of the package)."""

import inspect

import pytest

import skactive
import skactive.acquisition
import skactive.experiment

PUBLIC = [
    (module, name)
    for module in (skactive, skactive.acquisition, skactive.experiment)
    for name in module.__all__
    if not name.startswith("__")
]


@pytest.mark.parametrize("module, name", PUBLIC,
                         ids=[f"{m.__name__}.{n}" for m, n in PUBLIC])
def test_public_names_have_examples(module, name):
    doc = inspect.getdoc(getattr(module, name))
    assert doc, f"{name} has no docstring"
    assert "Examples\n--------" in doc
    assert ">>> " in doc.split("Examples\n--------")[1]
    if inspect.isfunction(getattr(module, name)):
        assert "Parameters\n----------" in doc
        assert "Returns\n-------" in doc
