# The package pre-commit installs for the `pgready` hook (language: python): it has no code of
# its own and depends on the prebuilt pgready wheel of the same version, so installing the hook
# compiles nothing. (A maturin pyproject.toml here would make pre-commit build pgready from
# source; the wheel's own project is dist/python/.) tests/dist.rs keeps the two versions equal.
from setuptools import setup

setup(
    name="pgready-pre-commit",
    version="0.1.0",
    description="pre-commit hook package of pgready: installs the pgready wheel",
    py_modules=[],
    packages=[],
    install_requires=["pgready==0.1.0"],
)
