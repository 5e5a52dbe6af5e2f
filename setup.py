# Thin shim for tools that still look for setup.py; pyproject.toml (flit_core) is the source of truth.
from setuptools import find_packages, setup

from oms_omnichannel import __version__ as version

setup(
	name="oms_omnichannel",
	version=version,
	packages=find_packages(exclude=("tests", "tests.*", "benchmarks")),
	include_package_data=True,
	zip_safe=False,
)
