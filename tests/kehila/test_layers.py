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
    assert (
        KEHILA / "scheduling" / "__init__.py" in modules
        and KEHILA / "models" / "__init__.py" in modules
    )
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


def dotted_paths_to_stage_apps(path: Path) -> list[str]:
    """Import paths written as strings (`"strategy.services.f"` for import_string): a lazy import too."""
    import re

    dotted = re.compile(rf"^({'|'.join(sorted(STAGE_APPS))})(\.[A-Za-z_]\w*)+$")
    return [
        f"{path.name}:{node.lineno} {node.value}"
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and dotted.match(node.value)
    ]


def test_the_scan_sees_an_import_path_written_as_a_string(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('CHECKS = ["strategy.services.scope_precondition"]\n')
    assert dotted_paths_to_stage_apps(module) == ["m.py:1 strategy.services.scope_precondition"]


def test_no_bottom_module_of_kehila_names_a_stage_module_in_a_string():
    # The beat schedule names Celery tasks by their registered names, as settings would: configuration.
    modules = [path for path in bottom_modules() if path.name != "celery.py"]
    assert KEHILA / "scheduling" / "__init__.py" in modules
    found = [hit for path in modules for hit in dotted_paths_to_stage_apps(path)]
    assert not found, found
