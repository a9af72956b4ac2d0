"""Every public name has a numpydoc docstring that numpydoc's validation
accepts and a runnable Examples section (run by pytest's doctest collection
of the package); every public function validates its parameters."""

import inspect

import pytest

import skactive
import skactive.acquisition
import skactive.base
import skactive.exceptions
import skactive.experiment
import skactive.labeling
import skactive.utils
import skactive.utils.estimator_checks

MODULES = (skactive, skactive.acquisition, skactive.base, skactive.experiment,
           skactive.exceptions, skactive.labeling, skactive.utils,
           skactive.utils.estimator_checks)
PUBLIC = [
    (module, name)
    for module in MODULES
    for name in module.__all__
    if not name.startswith("__")
]
# Style choices numpydoc would otherwise enforce, as in scikit-learn: no
# See Also or Extended Summary required, no period after a return type,
# summaries may be noun phrases ("Scores of ..."), methods need no Examples.
IGNORED = {"GL01", "GL02", "GL08", "ES01", "SA01", "RT02", "SS05", "EX01"}
INHERITED = {"get_params", "set_params", "get_metadata_routing"}


def _targets():
    for module, name in PUBLIC:
        obj = getattr(module, name)
        yield f"{obj.__module__}.{obj.__qualname__}"
        if inspect.isclass(obj):
            for method, function in vars(obj).items():
                function = getattr(function, "__func__", function)
                if (not method.startswith("_") and method not in INHERITED
                        and inspect.isfunction(function)):
                    yield f"{obj.__module__}.{obj.__qualname__}.{method}"


@pytest.mark.parametrize("module, name", PUBLIC,
                         ids=[f"{m.__name__}.{n}" for m, n in PUBLIC])
def test_public_names_have_examples(module, name):
    doc = inspect.getdoc(getattr(module, name))
    assert doc, f"{name} has no docstring"
    assert "Examples\n--------" in doc
    assert ">>> " in doc.split("Examples\n--------")[1]
    if inspect.isfunction(getattr(module, name)) and not name.startswith("check_"):
        assert "Parameters\n----------" in doc
        assert "Returns\n-------" in doc


@pytest.mark.parametrize("target", sorted(set(_targets())))
def test_numpydoc_validation(target):
    validate = pytest.importorskip("numpydoc.validate").validate
    errors = [f"{code}: {message}" for code, message in validate(target)["errors"]
              if code not in IGNORED]
    assert not errors, "\n".join(errors)


FUNCTIONS = [(module, name) for module, name in PUBLIC
             if module is not skactive.utils.estimator_checks
             and inspect.isfunction(getattr(module, name))]


@pytest.mark.parametrize("module, name", FUNCTIONS,
                         ids=[f"{m.__name__}.{n}" for m, n in FUNCTIONS])
def test_public_functions_validate_their_parameters(module, name):
    # As scikit-learn's test_public_functions: the constraints that
    # validate_params attached must name every parameter of the function.
    function = getattr(module, name)
    constraints = getattr(function, "_skl_parameter_constraints", None)
    assert constraints is not None, f"{name} is not decorated with validate_params"
    parameters = set(inspect.signature(function).parameters) - {
        "self", "kwargs", "settings"}
    assert set(constraints) == parameters
