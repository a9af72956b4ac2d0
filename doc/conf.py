"""Sphinx configuration of the skactive documentation."""

import json
import os
import sys
import warnings
from pathlib import Path

sys.path.insert(0, os.path.abspath(".."))

import skactive  # noqa: E402

project = "skactive"
author = "The skactive developers"
copyright = "2026, The skactive developers"
release = skactive.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    # copies MathJax into _static/mathjax: the site needs no network
    "sphinx-mathjax-offline",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "figures", "auto_examples/*.ipynb", "auto_examples/*.py",
                    "auto_examples/*.zip", "auto_examples/*.md5",
                    "auto_examples/*.codeobj.json"]
autosummary_generate = True

# Every measured number the pages quote is a substitution ``|name|`` whose
# value benchmarks/doc_figures.py wrote to figures/figures.json from the demo
# and the gallery examples; nothing measured is typed by hand.
_figures = json.loads(Path(__file__).with_name("figures").joinpath(
    "figures.json").read_text())
rst_prolog = "\n".join(f".. |{name}| replace:: {value}"
                       for name, value in _figures.items())
# Show what samplers inherit from BaseSampler (score, select, get_params ...),
# not scikit-learn's metadata-routing plumbing.
autodoc_default_options = {
    "members": True,
    "inherited-members": "_MetadataRequester,_HTMLDocumentationLinkMixin,"
    "ReprHTMLMixin,object",
}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

html_theme = "pydata_sphinx_theme"
html_title = "skactive"
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": False,
    "secondary_sidebar_items": ["page-toc"],
}
html_sidebars = {"**": []}

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"\.py$",
    "ignore_pattern": r"^_",
    "doc_module": ("skactive",),
    "backreferences_dir": "generated/backreferences",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "remove_config_comments": True,
}

# Examples run with the Agg backend and must not warn.
os.environ.setdefault("MPLBACKEND", "Agg")
warnings.filterwarnings("error", category=UserWarning, module="skactive")
