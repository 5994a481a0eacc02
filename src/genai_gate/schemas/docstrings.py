"""Field docstrings (the string literal under a field) as JSON Schema descriptions.

pydantic can read them itself (`use_attribute_docstrings`), but only by parsing every model's
source when the class is created, a cost every command would pay at start-up; the schemas are
generated rarely, so the docstrings are read here, from the models a schema refers to.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
import typing
from typing import Any

from pydantic import BaseModel


def field_docstrings(cls: type) -> dict[str, str]:
    """`{field: docstring}` of a class and its bases (a subclass's docstring wins)."""
    found: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        try:
            source = textwrap.dedent(inspect.getsource(klass))
        except (OSError, TypeError):  # built-ins, classes made at run time
            continue
        tree = ast.parse(source)
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for node, following in itertools.pairwise(body):
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                found[node.target.id] = inspect.cleandoc(following.value.value)
    return found


def models_of(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model reachable from `root` through field annotations, by class name."""
    seen: dict[str, type[BaseModel]] = {}
    pending: list[Any] = [root]
    while pending:
        item = pending.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if seen.get(item.__name__) is item:
                continue
            seen.setdefault(item.__name__, item)
            pending += [field.annotation for field in item.model_fields.values()]
        else:
            pending += list(typing.get_args(item))
    return seen


def describe(schema: dict[str, Any], root: type[BaseModel]) -> dict[str, Any]:
    """`schema` with a description on every property that has a docstring and none yet."""
    models = models_of(root)
    targets = [(schema, root)] + [
        (definition, models[name])
        for name, definition in schema.get("$defs", {}).items()
        if name in models
    ]
    for node, model in targets:
        docs = field_docstrings(model)
        for name, prop in node.get("properties", {}).items():
            field = model.model_fields.get(name)
            key = field.alias if field is not None and field.alias else name
            text = docs.get(name) or docs.get(key)
            if text and "description" not in prop:
                prop["description"] = text
    return schema
