"""Package list only (everything else is in pyproject.toml).

``templates/`` ships as the package ``cryogen_templates``; setuptools' automatic
discovery cannot map a folder to another package name, so the list is given here.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["solver*", "cryogen_widgets*", "materials_data*"]),
        "cryogen_templates",
    ],
    package_dir={"cryogen_templates": "templates"},
)
