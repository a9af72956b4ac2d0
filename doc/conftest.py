# The user guide's examples run as doctests; the build configuration and the
# generated pages are not tests.
collect_ignore = ["conf.py"]
collect_ignore_glob = ["_build/*", "auto_examples/*", "generated/*"]
