"""Shared by the parts of the validator's checker: identifier normalisation, the tree's child fields, patterns of
text that reaches names, and the reference to a module path (Ref)."""

import ast
import re
import unicodedata

_NOTHING = ()
_DUNDER_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])__[A-Za-z]\w*?__(?!\w)")
_BACKTICKED = re.compile(r"`[^`]*`")
_LOCAL_REF = re.compile(r"@\s*([^\W\d]\w*)")

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
           ast.GeneratorExp)
# Fields that never hold child nodes. Skipping them (and `ctx`) makes the one traversal of a check several times
# faster than ast.walk on GraalPy's interpreter, where every generator step and getattr counts.
_SCALAR_FIELDS = {"ctx", "type_ignores", "id", "attr", "name", "arg", "module", "level", "is_async", "conversion",
                  "kind", "simple", "asname", "type_comment", "tag"}
_IDENTIFIER_FIELDS = [(ast.Name, ("id",)), (ast.Attribute, ("attr",)), (ast.alias, ("name", "asname")),
                      (ast.arg, ("arg",)), (ast.keyword, ("arg",)), (ast.FunctionDef, ("name",)),
                      (ast.AsyncFunctionDef, ("name",)), (ast.ClassDef, ("name",)), (ast.ExceptHandler, ("name",)),
                      (ast.Global, ("names",)), (ast.Nonlocal, ("names",)), (ast.ImportFrom, ("module",)),
                      (ast.MatchAs, ("name",)), (ast.MatchStar, ("name",)), (ast.MatchMapping, ("rest",)),
                      (ast.MatchClass, ("kwd_attrs",))]
_CHILD_FIELDS = {}
for _name in dir(ast):
    _cls = getattr(ast, _name)
    if isinstance(_cls, type) and issubclass(_cls, ast.AST):
        _fields = tuple(f for f in _cls._fields if f not in _SCALAR_FIELDS
                        and not (f == "names" and _cls in (ast.Global, ast.Nonlocal)) and f != "kwd_attrs")
        _CHILD_FIELDS[_cls] = () if _cls is ast.Constant else _fields


def _norm(name):
    """Python compares identifiers after NFKC normalisation (`ｅｖａｌ` is `eval`); so does the policy."""
    if name is None or name.isascii():
        return name
    return unicodedata.normalize("NFKC", name)


def _is_dunder(name):
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


class Ref:
    """What an expression names when it is a module or something reached from one."""
    __slots__ = ("path", "section")

    def __init__(self, path, section):
        self.path = path
        self.section = section
