"""The apps form layers: each imports only the layers below it, checked on the source itself.

From the bottom: the neutral modules (text normalisation, the site's address), the referential
of collectivités, the catalogue of use cases, then what is built on the catalogue (accounts, the
API, the open data), and the project package on top, which wires everything together.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# bibliotheque.charts lays out bar charts: it imports no app, and the catalogue's pages
# (statistics, mutualisation) use it; bibliotheque.antispam holds the honeypot and fill-time
# check of the forms open to anonymous visitors (error reports, contact).
NEUTRAL = {
    "bibliotheque.text",
    "bibliotheque.site",
    "bibliotheque.typography",
    "bibliotheque.limits",
    "bibliotheque.charts",
    "bibliotheque.antispam",
}
PROJECT_APPS = {
    "bibliotheque",
    "collectivites",
    "usecases",
    "accounts",
    "api",
    "opendata",
    "alerts",
    "reviews",
    "widget",
}
# What each app may import from the project, besides itself and the neutral modules.
ALLOWED = {
    "collectivites": set(),
    "usecases": {"collectivites"},
    "accounts": {"collectivites", "usecases"},
    "api": {"collectivites", "usecases"},
    "opendata": {"collectivites", "usecases", "api"},
    "alerts": {"collectivites", "usecases"},
    "reviews": {"collectivites", "usecases"},
    "widget": {"collectivites", "usecases"},
}


def project_imports(path, package):
    """The project modules imported by one file, relative imports resolved, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module_parts = [package, *path.relative_to(ROOT / package).with_suffix("").parts]
    if module_parts[-1] == "__init__":
        module_parts.pop()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module_parts[: len(module_parts) - node.level + (path.name == "__init__.py")]
                prefix = ".".join([*base, node.module] if node.module else base)
            else:
                prefix = node.module
            names = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] in PROJECT_APPS)
    return found


def imports_of(package):
    """{file: project modules it imports} for the app's code, migrations and tests excluded."""
    return {
        path: project_imports(path, package)
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def violations(package, allowed):
    problems = []
    for path, modules in imports_of(package).items():
        for module in sorted(modules):
            top = module.split(".")[0]
            if top == package or top in allowed:
                continue
            if any(module == n or module.startswith(n + ".") for n in NEUTRAL):
                continue
            if top == "bibliotheque" and module.rsplit(".", 1)[0] in NEUTRAL:
                continue
            problems.append(f"{path.relative_to(ROOT)} imports {module}")
    return problems


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_app_imports_only_lower_layers(package):
    assert violations(package, ALLOWED[package]) == []


def test_neutral_modules_import_no_app():
    for name in sorted(NEUTRAL):
        path = ROOT / (name.replace(".", "/") + ".py")
        assert project_imports(path, "bibliotheque") == set(), name


def test_the_scan_sees_imports_at_every_depth():
    """The check would catch a violation: known imports, relative and inside functions, are seen."""
    catalogue = set().union(*imports_of("usecases").values())
    assert "collectivites.models" in catalogue
    # usecases/models/use_case.py: `from ..choices import Stage`, two levels up.
    assert "usecases.choices.Stage" in project_imports(
        ROOT / "usecases/models/use_case.py", "usecases"
    )
    # usecases/services.py imports its form inside functions.
    assert "usecases.forms.UseCaseForm" in project_imports(
        ROOT / "usecases/services.py", "usecases"
    )
    assert violations("usecases", set()) != []
