"""Generated strategy rows for `manage.py generate_demo` (see kehila/generate.py for the rules)."""


def generate(batch) -> dict[str, int]:
    return {}
