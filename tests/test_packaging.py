"""What `pip install .` (without -e) installs: every file the packages read, the repository's examples included."""

import tomllib
from pathlib import Path

import pytest

from bot.demo.script import POLICY_FILE
from bot.fakeslack.manifest import MANIFEST

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "services", "models")


def data_files(package: str) -> set[Path]:
    """The files in a package's folder that are not Python: they are installed only if package-data names them."""
    folder = ROOT / package
    return {
        path
        for path in folder.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }


def installed_data(package: str) -> set[Path]:
    """The files pyproject's package-data installs with a package (setuptools globs them the same way)."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    return {path for pattern in patterns.get(package, []) for path in (ROOT / package).glob(pattern)}


@pytest.mark.parametrize("package", PACKAGES)
def test_every_file_a_package_holds_is_installed_with_it(package: str) -> None:
    left_out = data_files(package) - installed_data(package)

    assert sorted(str(path.relative_to(ROOT)) for path in left_out) == []


@pytest.mark.parametrize(
    ("read", "original"), [(POLICY_FILE, ROOT / "policy.example.toml"), (MANIFEST, ROOT / "manifest.yml")]
)
def test_the_demo_reads_installed_copies_of_the_repositorys_example_policy_and_manifest(
    read: Path, original: Path
) -> None:
    """The repository's files are the ones the README points to; the package carries a copy of each."""
    assert read.is_relative_to(ROOT / "bot"), f"{read} is not installed with the package"
    assert read.read_bytes() == original.read_bytes(), f"copy {original.name} to {read.relative_to(ROOT)}"
