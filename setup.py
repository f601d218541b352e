"""Packaging beside pyproject.toml: the default look ships inside the wheel.

The repository's top-level `styles/` and `fonts/` are the default event's look, and what
users copy to customise it; `booklet/paths.py` reads them there in a source checkout. A
wheel has no checkout, so building one copies both folders into the package as
`booklet/data/styles` and `booklet/data/fonts`.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("styles", "fonts")


class BuildWithTheLook(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's folders
        for name in SHIPPED:
            target = Path(self.build_lib) / "booklet" / "data" / name
            shutil.copytree(HERE / name, target, dirs_exist_ok=True)


# Not `build/`: that is where `booklet build` writes the event's outputs.
setup(cmdclass={"build_py": BuildWithTheLook}, options={"build": {"build_base": ".build-wheel"}})
