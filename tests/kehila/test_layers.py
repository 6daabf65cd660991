"""The bottom of kehila never imports a stage app, not even lazily inside a function (issue 15 §3).

The top (urls, the dashboards and views that read every stage, the demo and the generator that load every
stage, the management commands that drive them) may; every other module of kehila is the bottom.
"""

import ast
from pathlib import Path

from django.apps import apps

import kehila

STAGE_APPS = {"partners", "committees", "strategy", "pilots"}
KEHILA = Path(kehila.__file__).parent
TOP = {"urls.py", "dashboard.py", "views.py", "demo.py", "generate.py", "settings.py"}


def bottom_modules() -> list[Path]:
    return sorted(
        path
        for path in KEHILA.rglob("*.py")
        if path.name not in TOP and not {"management", "migrations"} & set(path.parts)
    )


def stage_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [
            f"{path.name}:{node.lineno} {name}"
            for name in names
            if name.split(".")[0] in STAGE_APPS
        ]
    return found


def test_the_scan_sees_a_lazy_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from committees import services\n")
    assert stage_imports(module) == ["m.py:2 committees"]


def test_no_bottom_module_of_kehila_imports_a_stage_app():
    modules = bottom_modules()
    assert KEHILA / "scheduling.py" in modules and KEHILA / "models.py" in modules
    found = [hit for path in modules for hit in stage_imports(path)]
    assert not found, found


def test_no_model_of_kehila_points_to_a_stage_app():
    pointing = [
        f"{model.__name__}.{field.name} -> {field.related_model._meta.label}"
        for model in apps.get_app_config("kehila").get_models()
        for field in model._meta.get_fields()
        if field.concrete
        and field.is_relation
        and field.related_model._meta.app_label in STAGE_APPS
    ]
    assert not pointing, pointing
