"""The samplers, one module each; the public names are re-exported by
:mod:`skactive`."""
