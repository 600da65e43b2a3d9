"""The validator's policy: checks generated analysis code with Python's own `ast` before the worker runs it.

Loaded once into each GraalPy context of the validator's pool. `configure(...)` receives the policy data
(validation/rules.json), the shared import allow-list (policy/allowed-modules.txt) and the module attribute
allow-list (validation/module-attributes.txt); `check(code)` returns the violations as a list of
[rule, message, line, column] (1-based line and column), empty when the code is accepted.

The policy is allow-list first: imports and attributes of module objects must be listed; then a deny layer for
what values can reach (dunders, private attributes, frames, I/O methods, strings that pandas or patsy evaluate).
It is the first, cheap layer: the worker's sandbox is the boundary. Nothing here keeps state between checks.

Strings that become code or attribute names (issue 13). Every place where a string is evaluated or looked up as a
name outside the code's own syntax is either refused or must receive a literal the checker has read:
- annotations only name types (no strings, no variables, nothing computed): typing, functools.singledispatch and
  inspect evaluate string annotations with real builtins; typing forms refuse strings (`typing.List['x']`);
- get_type_hints, ForwardRef, singledispatch(method), inspect's `signature` (re-exported by scikit-learn),
  make_dataclass and three-argument type() are refused; namedtuple, NamedTuple, TypedDict, TypeVar, NewType and
  the Enum functional API take literal names and plain types;
- `match` class patterns read attributes by keyword (`case object(__globals__=g)`): each keyword name is checked as
  an attribute read that is not called (dunders, private names, frames, and methods that must be called directly);
  names captured by patterns are checked like assignments;
- pd.eval/DataFrame.eval/query: the expression is a checked literal, and the options that move name lookup
  (`level`, which reaches the worker's own frames, `local_dict`, `global_dict`, `resolvers`, `**kwargs`) are refused;
- where pandas looks a function up by name (agg, aggregate, apply, transform, aggfunc=, seaborn's estimator=) and
  where format strings read attributes (str.format receivers, Styler.format, StrMethodFormatter), the value must be
  a literal, a lambda, a defined function or a library function: never a string computed at run time (a
  concatenation, f-string, join, parameter, loop variable over computed values, call result or string attribute).
Left to the worker, on purpose: `%` formatting and string.Template only read mapping keys, never attributes.
"""

import ast
import io
import json
import re
import string
import tokenize
import unicodedata

from import_policy import parse_allow_list  # the worker's parser of the import allow-list (worker/policy.py)

_POLICY = None
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


class ModuleRules:
    """The shared import allow-list: `name`, `name.*` and `!name`/`!name.*` lines; exclusions win."""

    def __init__(self, text):
        self.allow = []
        self.deny = []
        for line in parse_allow_list(text):
            target = self.deny if line.startswith("!") else self.allow
            line = line.lstrip("!")
            if line.endswith(".*"):
                target.append((line[:-2], True))
            else:
                target.append((line, False))
        self._allow_exact = {name for name, subtree in self.allow}
        self._allow_tree = {name for name, subtree in self.allow if subtree}
        self._deny_exact = {name for name, subtree in self.deny}
        self._deny_tree = {name for name, subtree in self.deny if subtree}

    @staticmethod
    def _matches(exact, tree, module):
        if module in exact:
            return True
        parts = module.split(".")
        for end in range(1, len(parts)):
            if ".".join(parts[:end]) in tree:
                return True
        return False

    def excluded(self, module):
        return self._matches(self._deny_exact, self._deny_tree, module)

    def allowed(self, module):
        return not self.excluded(module) and self._matches(self._allow_exact, self._allow_tree, module)

    def summary(self):
        """The allowed modules in short: a package once, however many of its submodules are listed."""
        names = []
        for name, _ in self.allow:
            top = name.split(".")[0]
            if top not in names and name not in names:
                names.append(top if (top, True) in self.allow or (top, False) in self.allow else name)
        return ", ".join(dict.fromkeys(names))


class Attributes:
    """The module attribute allow-list: `[section]` headers (module paths) followed by their allowed names."""

    def __init__(self, text):
        self.sections = {}
        self._refs = {}
        current = None
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("[") and line.endswith("]"):
                current = self.sections.setdefault(line[1:-1].strip(), set())
            elif current is not None:
                current.update(line.split())

    def is_section(self, path):
        return path in self.sections

    def ref(self, path):
        """Shared, immutable description of a path (module or value)."""
        ref = self._refs.get(path)
        if ref is None:
            ref = self._refs[path] = Ref(path, path in self.sections)
        return ref

    def has(self, section, name):
        names = self.sections.get(section)
        return names is not None and (name in names or ("*" in names and not name.startswith("_")))


class Policy:
    def __init__(self, rules_json, modules_text, attributes_text, max_length):
        data = json.loads(rules_json)
        self._guarded = {}
        self.rule_ids = {rule["id"] for rule in data["rules"]}
        self.modules = ModuleRules(modules_text)
        self.attributes = Attributes(attributes_text)
        self.max_length = int(max_length)
        namespace = data["namespace"]
        self.prebound = dict(namespace["modules"])
        self.data_hint = namespace["data_hint"]
        self.builtins = {name: hint.replace("{data}", self.data_hint)
                         for name, hint in data["forbidden_builtins"].items()}
        dunder = data["dunder"]
        self.dunder_names = set(dunder["allowed_names"])
        self.dunder_attributes = set(dunder["allowed_attributes"])
        self.dunder_methods = set(dunder["allowed_methods"])
        self.dunder_strings = self.dunder_names | self.dunder_attributes
        self.private_allowed = set(data["private_attributes_allowed"])
        self.introspection = set(data["introspection_attributes"])
        strings = data["string_attribute"]
        self.dispatch_methods = set(strings["dispatch_methods"])
        self.dispatch_keywords = set(strings["dispatch_keywords"])
        self.refused_method_names = set(strings["refused_method_names"])
        self.dispatch_keywords_anywhere = set(strings["dispatch_keywords_anywhere"])
        self.string_valued_attributes = set(strings["string_valued_attributes"])
        self.function_factories = set(strings["function_factories"])
        self.format_functions = set(strings["format_functions"])
        self.formatter_methods = set(strings["formatter_methods"])
        evaluation = data["string_evaluation"]
        self.evaluating_names = set(evaluation["refused_names"])
        self.type_factories = set(evaluation["type_factories"])
        self.enum_factories = set(evaluation["enum_factories"])
        self.typing_string_forms = set(evaluation["typing_forms_allowing_strings"])
        self.annotation_builtins = set(evaluation["annotation_builtins"])
        files = data["file_access"]
        self.readers = files["readers"]
        self.text_writers = set(files["text_writers"])
        self.path_keywords = set(files["text_writer_path_keywords"])
        self.writer_methods = set(files["writer_methods"])
        self.figure_methods = set(files["figure_methods"])
        self.buffers = set(files["in_memory_buffers"])
        expression = data["eval_expression"]
        self.expression_functions = set(expression["functions"])
        self.expression_attributes = set(expression["attributes"])
        self.expression_refused_keywords = set(expression["refused_keywords"])
        self.expression_engines = expression["engines"]
        self.expression_parsers = expression["parsers"]
        formula = data["formula"]
        self.formula_sections = set(formula["sections"])
        self.formula_methods = set(formula["methods"])
        self.formula_keywords = set(formula["keywords"])
        self.formula_functions = set(formula["functions"])
        config = data["configuration"]
        self.option_functions = set(config["option_functions"])
        self.option_prefixes = tuple(config["allowed_option_prefixes"])
        self.option_names = set(config["allowed_option_names"])
        self.style_functions = set(config["style_functions"])
        self.style_pattern = re.compile(config["style_name_pattern"])
        self.configuration_names = set(config["names"])
        self.backend_keywords = config["backend_keywords"]
        self.rc_keywords = set(config["rc_keywords"])
        self.rc_prefixes = tuple(config["rc_prefixes"])
        self.rc_refused = set(config["rc_refused"])
        self.process_keywords = data["processes"]["keywords"]
        limits = data["limits"]
        self.max_violations = limits["max_violations"]
        # attribute names of values that need a closer look (writers, evaluators, format, formulas)
        self.value_method_names = (self.figure_methods | self.writer_methods | self.text_writers
                                   | {"eval", "query", "format", "format_map"} | self.formula_methods)
        self.snippet_length = limits["snippet_length"]

    def guarded(self, path):
        """Functions whose arguments are checked: they may only be called directly, never passed around."""
        known = self._guarded.get(path)
        if known is None:
            known = self._guarded[path] = path in self.readers or path in self.option_functions \
                or path in self.style_functions or path == "pandas.eval" \
                or path.rsplit(".", 1)[0] in self.formula_sections
        return known


def configure(rules_json, modules_text, attributes_text, max_length=10000):
    """Loads the policy data; called once per context."""
    global _POLICY
    _POLICY = Policy(rules_json, modules_text, attributes_text, max_length)
    return len(_POLICY.rule_ids)


def check(code):
    """Returns the violations of `code` as a list of [rule, message, line, column], empty when it is accepted."""
    if _POLICY is None:
        raise RuntimeError("policy not configured")
    return Checker(_POLICY, code).run()


class Ref:
    """What an expression names when it is a module or something reached from one."""
    __slots__ = ("path", "section")

    def __init__(self, path, section):
        self.path = path
        self.section = section


class Checker:
    def __init__(self, policy, code):
        self.policy = policy
        self.code = code
        self.lines = None
        self.violations = []
        self.seen = set()
        self.bindings = {}
        self._literal_strings = None
        self.parents = {}
        self.local_names = {}
        self.resolved = {}
        self._sites = None
        self._stored_attributes = None

    # -- reporting ----------------------------------------------------------------------------------------------

    def add(self, rule, message, node=None, line=None, column=None):
        if rule not in self.policy.rule_ids:
            raise ValueError("unknown rule " + rule)
        if node is not None:
            line = getattr(node, "lineno", None) or 1
            column = self._column(node)
        line = line or 1
        column = column or 1
        key = (rule, message, line, column)
        if key not in self.seen:
            self.seen.add(key)
            self.violations.append([rule, message, line, column])

    def _column(self, node):
        offset = getattr(node, "col_offset", None)
        if offset is None:
            return 1
        if self.lines is None:
            self.lines = self.code.splitlines()
        index = getattr(node, "lineno", 1) - 1
        if 0 <= index < len(self.lines) and not self.lines[index].isascii():
            # ast columns are UTF-8 byte offsets; report characters
            return len(self.lines[index].encode("utf-8")[:offset].decode("utf-8", "replace")) + 1
        return offset + 1

    def snippet(self, node):
        try:
            text = ast.get_source_segment(self.code, node) or ast.unparse(node)
        except Exception:
            text = ast.unparse(node)
        text = " ".join(text.split())
        limit = self.policy.snippet_length
        return text if len(text) <= limit else text[:limit - 1] + "…"

    # -- entry point --------------------------------------------------------------------------------------------

    def run(self):
        code = self.code
        if not code.strip():
            self.add("code-empty", "The code is empty: write Python code that assigns the answer to `result`.")
            return self.violations
        if len(code) > self.policy.max_length:
            self.add("code-too-long", f"The code has {len(code)} characters, more than the {self.policy.max_length}"
                                      " allowed: make it shorter.")
            return self.violations
        try:
            tree = ast.parse(code, feature_version=(3, 11))
        except SyntaxError as error:
            message = error.msg or "invalid syntax"
            if "only supported in Python 3.12" in message:
                self.add("python-version", f"{message}: the code runs on Python 3.11.",
                         line=error.lineno, column=error.offset)
            else:
                self.add("syntax-error", f"SyntaxError: {message}.", line=error.lineno, column=error.offset)
            return self.violations
        except (RecursionError, MemoryError):
            self.add("code-too-complex", "The code is nested too deeply to be checked: split it into simpler "
                                         "statements.")
            return self.violations
        self.by_type = self._index(tree)
        if not code.isascii():
            self._normalise_identifiers()
        self._bind()
        self._check_fstrings()
        for kind, visit in _VISITORS:
            for node in self.by_type.get(kind, ()):
                visit(self, node)
        self._check_result()
        self.violations.sort(key=lambda v: (v[2], v[3]))
        return self.violations[:self.policy.max_violations]

    def _index(self, tree):
        """One traversal: parent links and the nodes grouped by type, in source order."""
        by_type = {}
        parents = self.parents
        stack = [tree]
        pop = stack.pop
        push = stack.append
        fields_of = _CHILD_FIELDS
        node_type = ast.AST
        while stack:
            node = pop()
            kind = type(node)
            bucket = by_type.get(kind)
            if bucket is None:
                by_type[kind] = [node]
            else:
                bucket.append(node)
            for field in fields_of.get(kind, ()):
                value = getattr(node, field, None)
                if value is None:
                    continue
                if type(value) is list:
                    for index in range(len(value) - 1, -1, -1):
                        child = value[index]
                        if child is not None:
                            parents[child] = node
                            push(child)
                elif isinstance(value, node_type):
                    parents[value] = node
                    push(value)
        return by_type

    def nodes(self, *kinds):
        by_type = self.by_type
        found = []
        for kind in kinds:
            found += by_type.get(kind, ())
        return found

    def _normalise_identifiers(self):
        """Python's parser already applies NFKC to identifiers; this makes sure, for non-ASCII code only."""
        for kind, fields in _IDENTIFIER_FIELDS:
            for node in self.by_type.get(kind, ()):
                for field in fields:
                    value = getattr(node, field, None)
                    if isinstance(value, str):
                        setattr(node, field, _norm(value))
                    elif isinstance(value, list):
                        setattr(node, field, [_norm(v) if isinstance(v, str) else v for v in value])

    # -- module bindings ------------------------------------------------------------------------------------------

    def _bind(self):
        imported = set()
        for node in self.nodes(ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.NamedExpr):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    name = alias.name
                    if alias.asname:
                        self._bind_name(alias.asname, name)
                        imported.add(alias.asname)
                    else:
                        top = name.split(".")[0]
                        self._bind_name(top, top)
                        imported.add(top)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                module = node.module
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    bound = (alias.asname or alias.name)
                    self._bind_name(bound, module + "." + alias.name)
                    imported.add(bound)
        for name, path in self.policy.prebound.items():
            if name not in imported:
                self._bind_name(name, path)
        # re-binding (`p = pd`, `s = np.random`) to a fixed point
        for _ in range(5):
            changed = False
            self.resolved.clear()
            for node in self.nodes(ast.Assign, ast.AnnAssign, ast.NamedExpr):
                if type(node.value) not in (ast.Name, ast.Attribute):
                    continue
                targets = self._rebinding_targets(node)
                if not targets:
                    continue
                for ref in self.resolve(node.value):
                    for target in targets:
                        changed |= self._bind_name(target, ref.path)
            if not changed:
                break
        self.resolved.clear()

    def _bind_name(self, name, path):
        paths = self.bindings.setdefault(name, set())
        if path in paths:
            return False
        paths.add(path)
        return True

    @staticmethod
    def _rebinding_targets(node):
        if type(node) is ast.Assign:
            names = []
            for target in node.targets:
                if type(target) is not ast.Name:
                    return []
                names.append(target.id)
            return names
        if isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None \
                and isinstance(node.target, ast.Name):
            return [node.target.id]
        return []

    @property
    def literal_strings(self):
        """For each assigned name, the string literal of every assignment (None where it is not one); lazily."""
        if self._literal_strings is None:
            self._literal_strings = {}
            for node in self.nodes(ast.Assign, ast.AnnAssign, ast.NamedExpr):
                self._collect_literal(node)
        return self._literal_strings

    def _collect_literal(self, node):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                values = self._literal_strings.setdefault(target.id, [])
                value = node.value
                values.append(value.value if isinstance(value, ast.Constant)
                              and isinstance(value.value, (str, bytes)) else None)

    def literal(self, node):
        """The text of a string literal, or of a name only ever assigned string literals; else None."""
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            return node.value
        if isinstance(node, ast.Name):
            values = self.literal_strings.get(node.id)
            if values and all(v is not None for v in values) and len(set(values)) == 1:
                return values[0]
        return None

    def resolve(self, node):
        """The module paths an expression refers to (`np.random` -> numpy.random), empty for plain values."""
        kind = type(node)
        if kind is ast.Name:
            paths = self.bindings.get(node.id)
            if not paths:
                return _NOTHING
        elif kind is ast.Attribute:
            root = node.value
            while type(root) is ast.Attribute:
                root = root.value
            if type(root) is not ast.Name or root.id not in self.bindings:
                return _NOTHING
        else:
            return _NOTHING
        refs = self.resolved.get(node)
        if refs is not None:
            return refs
        if kind is ast.Name:
            refs = [self._ref(path) for path in sorted(paths)]
        else:
            attr = node.attr
            refs = []
            for base in self.resolve(node.value):
                if base.section and self.policy.attributes.has(base.path, attr):
                    refs.append(self._ref(base.path + "." + attr))
        self.resolved[node] = refs
        return refs

    def _ref(self, path):
        return self.policy.attributes.ref(path)

    # -- imports ----------------------------------------------------------------------------------------------------

    def visit_Import(self, node):
        for alias in node.names:
            name = alias.name
            self._check_module(node, name, "import " + name)
            if alias.asname:
                self._check_identifier(node, alias.asname)

    def visit_ImportFrom(self, node):
        if node.level:
            self.add("import-not-allowed", "Relative imports are not allowed: import allowed modules by their full "
                                           "name.", node)
            return
        module = node.module
        policy = self.policy
        module_checked = None
        for alias in node.names:
            name = alias.name
            full = module + "." + name
            if alias.asname:
                self._check_identifier(node, alias.asname)
            if name != "*" and policy.modules.allowed(full) and policy.attributes.is_section(full):
                continue  # a submodule: `from matplotlib import pyplot`
            if module_checked is None:
                module_checked = self._check_module(node, module, "from " + module + " import " + name)
            if not module_checked:
                return
            if name == "*":
                self.add("import-star", f"`from {module} import *` is not allowed: import the names you use, e.g. "
                                        f"`from {module} import name`.", node)
                continue
            if policy.attributes.has(module, name):
                continue
            if self.policy.modules.excluded(full):
                self.add("import-not-allowed", f"`{full}` cannot be imported: it is not on the allow-list of "
                                               f"analysis modules.", node)
            else:
                self._refuse_attribute(node, module, name, f"from {module} import {name}")

    def _check_module(self, node, module, text):
        policy = self.policy
        if module.split(".")[0] == "__future__":
            self.add("import-not-allowed", "`__future__` imports are not needed: the code runs on Python 3.11.", node)
            return False
        if not policy.modules.allowed(module):
            self.add("import-not-allowed", f"`{text}` is not allowed: only these modules can be imported: "
                                           f"{policy.modules.summary()}; {policy.data_hint}.", node)
            return False
        if not policy.attributes.is_section(module):
            self.add("import-not-allowed", f"`{module}` is not a public analysis module: import the documented API "
                                           f"(e.g. `{module.split('.')[0]}`) instead.", node)
            return False
        return True

    # -- names --------------------------------------------------------------------------------------------------

    def visit_Name(self, node):
        name = node.id
        load = type(node.ctx) is ast.Load
        if load and name in self.policy.builtins and not self._shadowed(node, name):
            self.add("forbidden-builtin", f"`{name}()` is not available: {self.policy.builtins[name]}.", node)
        elif name[0] == "_" and _is_dunder(name) and name not in self.policy.dunder_names:
            self.add("dunder", f"`{name}` is not available: double-underscore names cannot be used; work with the "
                               f"values directly.", node)
        if load and name in self.bindings:
            self._check_module_use(node, self.resolve(node))

    def _shadowed(self, node, name):
        """True when `name` is a local of an enclosing function or comprehension (so not the built-in)."""
        current = self.parents.get(node)
        while current is not None:
            if isinstance(current, _SCOPES) and name in self._locals(current):
                return True
            current = self.parents.get(current)
        return False

    def _locals(self, scope):
        names = self.local_names.get(scope)
        if names is not None:
            return names
        names = set()
        declared_global = set()
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = scope.args
            for arg in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
                if arg is not None:
                    names.add(arg.arg)
            body = scope.body if isinstance(scope.body, list) else [scope.body]
        else:
            body = [gen.target for gen in scope.generators]
        stack = list(body)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                names.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
                stack.extend(node.decorator_list)
                continue
            elif isinstance(node, ast.Lambda) or isinstance(node, _SCOPES[3:]):
                continue
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    names.add((alias.asname or alias.name.split(".")[0]))
            elif isinstance(node, ast.ExceptHandler) and node.name:
                names.add(node.name)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                declared_global.update(n for n in node.names)
            elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                names.add(node.name)
            stack.extend(ast.iter_child_nodes(node))
        names -= declared_global
        self.local_names[scope] = names
        return names

    def _check_identifier(self, node, name):
        if _is_dunder(name) and name not in self.policy.dunder_names:
            self.add("dunder", f"`{name}` is not available: double-underscore names cannot be used.", node)

    def visit_FunctionDef(self, node):
        name = node.name
        in_class = isinstance(self.parents.get(node), ast.ClassDef)
        if _is_dunder(name) and not (in_class and name in self.policy.dunder_methods):
            self.add("dunder", f"`def {name}` is not allowed: only common special methods (such as `__init__`, "
                               f"`__repr__`) may be defined, inside a class.", node)
        self._check_arguments(node.args)
        if node.returns is not None:
            self._check_annotation(node.returns)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self._check_arguments(node.args)

    def _check_arguments(self, args):
        for arg in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
            if arg is not None:
                self._check_identifier(arg, arg.arg)

    def visit_ClassDef(self, node):
        self._check_identifier(node, node.name)

    def visit_arg(self, node):
        if node.annotation is not None:
            self._check_annotation(node.annotation)

    def visit_AnnAssign(self, node):
        self._check_annotation(node.annotation)

    # -- annotations ----------------------------------------------------------------------------------------------

    def _check_annotation(self, annotation):
        """typing.get_type_hints, singledispatch and friends evaluate string annotations as code: an annotation may
        only name a type (never a string, nor a value computed at run time that could be one)."""
        problem = self._annotation_problem(annotation)
        if problem:
            self.add("annotation", f"The annotation `{self.snippet(annotation)}` {problem}: annotations may only "
                                   f"name types (`int`, `pd.DataFrame`, `list[str]`, a class defined in the code), "
                                   f"or leave them out.", annotation)

    def _annotation_problem(self, node):
        kind = type(node)
        if kind is ast.Name:
            name = node.id
            sites = self.binding_sites(name)
            for site_kind, _ in sites:
                if site_kind not in ("class", "import"):
                    return f"uses `{name}`, a variable that could hold a string"
            if name in self.bindings:
                refs = self.resolve(node)
                if refs and not any(r.section for r in refs):
                    return None
                return f"uses the module `{name}`, not a type"
            if not sites and name not in self.policy.annotation_builtins:
                return f"uses `{name}`, which is not a known type"
            return None
        if kind is ast.Attribute:
            refs = self.resolve(node)
            if refs and not any(r.section for r in refs):
                return None
            return f"uses `{self.snippet(node)}`, which is not a type of an allowed module"
        if kind is ast.Subscript:
            return self._annotation_problem(node.value) or self._annotation_problem(node.slice)
        if kind in (ast.Tuple, ast.List):
            for element in node.elts:
                problem = self._annotation_problem(element)
                if problem:
                    return problem
            return None
        if kind is ast.BinOp and type(node.op) is ast.BitOr:
            return self._annotation_problem(node.left) or self._annotation_problem(node.right)
        if kind is ast.Constant:
            if node.value is None or node.value is Ellipsis:
                return None
            if isinstance(node.value, str):
                return "is a string, which typing evaluates as code"
            return "is a value, not a type"
        return "is computed when the code runs, not a type name"

    def visit_Subscript(self, node):
        """`typing.List['x']` turns the string into a forward reference that typing evaluates as code."""
        refs = self.resolve(node.value) if type(node.value) in (ast.Name, ast.Attribute) else _NOTHING
        if not refs or not any(r.path.startswith("typing.") and r.path not in self.policy.typing_string_forms
                               for r in refs):
            return
        for inner in ast.walk(node.slice):
            if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                self.add("annotation", f"`{self.snippet(node)}` contains the string {self.snippet(inner)}: typing "
                                       f"treats it as a forward reference that is evaluated as code; name the type "
                                       f"directly.", inner)
                return

    # -- match patterns -------------------------------------------------------------------------------------------

    def visit_MatchClass(self, node):
        """`case C(attr=x)` reads `subject.attr` into `x`: each keyword name is checked like an attribute access
        that is not called."""
        for attr in node.kwd_attrs:
            self._check_captured_attribute(node, attr, f"case {self.snippet(node.cls)}({attr}=...)")

    def visit_MatchAs(self, node):
        if node.name:
            self._check_identifier(node, node.name)

    visit_MatchStar = visit_MatchAs

    def visit_MatchMapping(self, node):
        if node.rest:
            self._check_identifier(node, node.rest)

    def _check_captured_attribute(self, node, attr, text):
        policy = self.policy
        if attr[0] == "_":
            if _is_dunder(attr):
                if attr not in policy.dunder_attributes:
                    self.add("dunder", f"`{text}` reads a double-underscore attribute: double-underscore "
                                       f"attributes cannot be used, not even in `match` patterns.", node)
            elif attr not in policy.private_allowed:
                self.add("private-attribute", f"`{text}` reads a private attribute: attributes starting with `_` "
                                              f"cannot be used, not even in `match` patterns.", node)
        elif attr in policy.introspection:
            self.add("introspection", f"`{text}` reads `.{attr}`: frames, code objects, generator internals, ctypes "
                                      f"pointers and template engines cannot be used.", node)
        elif attr in policy.value_method_names or attr in policy.dispatch_methods:
            rule = "eval-expression" if attr in ("eval", "query") else "formula-expression" \
                if attr in policy.formula_methods else "string-attribute-access" \
                if attr in policy.dispatch_methods or attr in ("format", "format_map") else "file-access"
            self.add(rule, f"`{text}` captures the method `.{attr}` without calling it: it must be called "
                           f"directly so that its arguments can be checked.", node)

    # -- where names are bound --------------------------------------------------------------------------------------

    def binding_sites(self, name):
        """Every place the code binds `name`, in any scope: (kind, node) pairs; kind is def, class, import, param,
        assign (node: the assigned value), for (node: the iterable, when the target is the bare name) or other."""
        if self._sites is None:
            self._sites = self._collect_sites()
        return self._sites.get(name, _NOTHING)

    def _collect_sites(self):
        sites = {}

        def add(name, kind, node):
            sites.setdefault(name, []).append((kind, node))

        for node in self.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
            add(node.name, "def", node)
        for node in self.nodes(ast.ClassDef):
            add(node.name, "class", node)
        for node in self.nodes(ast.Import, ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or (alias.name.split(".")[0] if type(node) is ast.Import else alias.name)
                add(bound, "import", alias)
        for node in self.nodes(ast.arg):
            add(node.arg, "param", node)
        for node in self.nodes(ast.Name):
            if type(node.ctx) is ast.Load:
                continue
            parent = self.parents.get(node)
            kind = type(parent)
            if kind is ast.Assign and node in parent.targets:
                add(node.id, "assign", parent.value)
            elif kind in (ast.AnnAssign, ast.NamedExpr) and parent.target is node and parent.value is not None:
                add(node.id, "assign", parent.value)
            elif kind in (ast.For, ast.AsyncFor) and parent.target is node:
                add(node.id, "for", parent.iter)
            else:
                add(node.id, "other", node)
        for node in self.nodes(ast.MatchAs, ast.MatchStar):
            if node.name:
                add(node.name, "other", node)
        for node in self.nodes(ast.MatchMapping):
            if node.rest:
                add(node.rest, "other", node)
        for node in self.nodes(ast.ExceptHandler):
            if node.name:
                add(node.name, "other", node)
        return sites

    def stored_attributes(self):
        """Attribute names the code assigns (`obj.x = ...`, `x = ...` in a class body)."""
        if self._stored_attributes is None:
            names = set()
            for node in self.nodes(ast.Attribute):
                if type(node.ctx) is not ast.Load:
                    names.add(node.attr)
            for node in self.nodes(ast.ClassDef):
                for statement in node.body:
                    for target in getattr(statement, "targets", None) or [getattr(statement, "target", None)]:
                        if isinstance(target, ast.Name):
                            names.add(target.id)
            self._stored_attributes = names
        return self._stored_attributes

    def _computed_string(self, node, seen=None):
        """None when `node` cannot be a string computed at run time: a literal, a lambda, a defined function or
        class, a library function, or a container or name made only of those. Otherwise why it could be one."""
        kind = type(node)
        if kind is ast.Constant or kind is ast.Lambda:
            return None
        if kind in (ast.List, ast.Tuple, ast.Set):
            for element in node.elts:
                problem = self._computed_string(element, seen)
                if problem:
                    return problem
            return None
        if kind is ast.Dict:
            for value in node.values:
                problem = self._computed_string(value, seen)
                if problem:
                    return problem
            return None
        if kind is ast.Starred:
            return self._computed_string(node.value, seen)
        if kind is ast.IfExp:
            return self._computed_string(node.body, seen) or self._computed_string(node.orelse, seen)
        if kind is ast.Name:
            name = node.id
            seen = set() if seen is None else seen
            if name in seen:
                return None
            seen.add(name)
            for site_kind, site in self.binding_sites(name):
                if site_kind in ("def", "class", "import"):
                    continue
                if site_kind == "assign":
                    problem = self._computed_string(site, seen)
                elif site_kind == "for" and type(site) in (ast.List, ast.Tuple):
                    problem = self._computed_string(site, seen)
                elif site_kind == "param":
                    problem = f"`{name}` is a parameter, whose value could be any string"
                else:
                    problem = f"`{name}` is bound to values computed at run time"
                if problem:
                    return problem
            return None
        if kind is ast.Attribute:
            root = node.value
            while type(root) is ast.Attribute:
                root = root.value
            if type(root) is ast.Name and (root.id in self.bindings or (
                    root.id in self.policy.annotation_builtins and not self.binding_sites(root.id))):
                return None
            if node.attr in self.policy.string_valued_attributes or node.attr in self.stored_attributes():
                return f"`{self.snippet(node)}` could hold a string"
            return None
        if kind is ast.Call:
            if any(ref.path in self.policy.function_factories for ref in self.resolve(node.func)):
                return None
            return f"`{self.snippet(node)}` is computed when the code runs"
        return f"`{self.snippet(node)}` is computed when the code runs"

    def visit_Global(self, node):
        for name in node.names:
            self._check_identifier(node, name)

    visit_Nonlocal = visit_Global

    def visit_ExceptHandler(self, node):
        if node.name:
            self._check_identifier(node, node.name)

    def visit_keyword(self, node):
        if node.arg:
            self._check_identifier(node, node.arg)

    # -- attributes ---------------------------------------------------------------------------------------------------

    def visit_Attribute(self, node):
        policy = self.policy
        attr = node.attr
        root = node.value
        while type(root) is ast.Attribute:
            root = root.value
        bases = self.resolve(node.value) if type(root) is ast.Name and root.id in self.bindings else None
        if bases:
            sections = [b for b in bases if b.section]
            if sections:
                self._check_module_attribute(node, attr, sections)
                refs = self.resolve(node)
                if refs:
                    self._check_module_use(node, refs)
                return
        if attr[0] == "_":
            if _is_dunder(attr):
                if attr not in policy.dunder_attributes:
                    self.add("dunder", f"`{self.snippet(node)}` is not available: double-underscore attributes "
                                       f"cannot be used; work with the values directly.", node)
            elif attr not in policy.private_allowed:
                self.add("private-attribute", f"`{self.snippet(node)}` is not available: attributes starting with "
                                              f"`_` are private; use the public API.", node)
            return
        if attr in policy.introspection:
            self.add("introspection", f"`.{attr}` is not available: frames, code objects, generator internals, "
                                      f"ctypes pointers and template engines cannot be used.", node)
            return
        if attr in policy.value_method_names:
            self._check_value_method(node, attr)
        elif attr in policy.dispatch_methods and type(node.ctx) is ast.Load:
            parent = self.parents.get(node)
            if not (isinstance(parent, ast.Call) and parent.func is node):
                self.add("string-attribute-access", f"`{self.snippet(node)}` must be called directly, so that the "
                                                    f"function it is given (which pandas may look up by name) can be "
                                                    f"checked.", node)

    def _check_module_attribute(self, node, attr, bases):
        policy = self.policy
        for base in bases:
            if policy.attributes.has(base.path, attr):
                continue
            if _is_dunder(attr) and attr in policy.dunder_attributes:
                continue
            self._refuse_attribute(node, base.path, attr, self.snippet(node))
            return

    def _refuse_attribute(self, node, section, attr, text):
        policy = self.policy
        path = section + "." + attr
        if _is_dunder(attr):
            self.add("dunder", f"`{text}` is not available: double-underscore attributes cannot be used.", node)
        elif attr in policy.evaluating_names:
            self.add("string-evaluation", f"`{text}` is not available: it evaluates strings or annotations as code "
                                          f"(or turns them into attributes); call functions directly and use plain "
                                          f"type names.", node)
        elif attr in ("attrgetter", "methodcaller", "Formatter"):
            self.add("string-attribute-access", f"`{text}` is not available: access attributes directly, e.g. "
                                                f"`obj.name`.", node)
        elif self._io_kind(attr) == "read":
            self.add("file-access", f"`{text}` is not available: files cannot be read; {policy.data_hint}.", node)
        elif self._io_kind(attr) == "figure":
            self.add("file-access", f"`{text}` is not available: figures cannot be saved to files; leave the figure "
                                    f"open and it is returned as a chart.", node)
        elif self._io_kind(attr) == "write":
            self.add("file-access", f"`{text}` is not available: files cannot be written; assign the answer to "
                                    f"`result` instead.", node)
        elif attr in policy.configuration_names:
            self.add("runtime-configuration", f"`{text}` is not available: run-time configuration (rc settings, "
                                              f"backends, options) cannot be changed; pass styles and sizes to the "
                                              f"plotting call, e.g. `plt.figure(figsize=(10, 6))`.", node)
        elif attr.startswith("_"):
            self.add("private-attribute", f"`{text}` is not available: attributes starting with `_` are private; "
                                          f"use the public API of `{section}`.", node)
        else:
            self.add("module-attribute", f"`{text}` is not available: `{path}` is not in the allowed public API of "
                                         f"`{section}`.", node)

    def _io_kind(self, name):
        policy = self.policy
        if name in policy.figure_methods or name in ("imsave",):
            return "figure"
        if name.startswith("read_") or name in ("load", "fromfile", "memmap", "DataSource", "imread",
                                                 "genfromtxt", "loadtxt", "fromregex", "load_pickle", "load_npz",
                                                 "loadmat", "load_dataset", "open", "urlopen"):
            return "read"
        if name in policy.writer_methods or name in policy.text_writers or name.startswith("save") \
                or name in ("tofile", "dump", "to_pickle", "savemat"):
            return "write"
        return None

    def _check_module_use(self, node, refs):
        """A module object may reach attributes or be re-bound to a name; a guarded function may only be called."""
        parent = self.parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            return
        sections = [r for r in refs if r.section]
        if sections:
            if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and parent.value is node \
                    and self._rebinding_targets(parent):
                return
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                return
            self.add("module-as-value", f"`{self.snippet(node)}` is a module: use its functions directly "
                                        f"(e.g. `{self.snippet(node)}.name(...)`); it cannot be passed, stored or "
                                        f"returned.", node)
            return
        for ref in refs:
            if self.policy.guarded(ref.path) and not (isinstance(parent, ast.Call) and parent.func is node):
                self.add(self._guard_rule(ref.path), f"`{self.snippet(node)}` must be called directly so that its "
                                                     f"arguments can be checked.", node)
                return

    def _guard_rule(self, path):
        policy = self.policy
        if path in policy.readers:
            return "file-access"
        if path in policy.option_functions or path in policy.style_functions:
            return "runtime-configuration"
        if path == "pandas.eval":
            return "eval-expression"
        return "formula-expression"

    def _check_value_method(self, node, attr):
        """Methods of values are free, except those that write files, evaluate strings or read attributes by name."""
        policy = self.policy
        parent = self.parents.get(node)
        called = isinstance(parent, ast.Call) and parent.func is node
        if attr in policy.figure_methods:
            self.add("file-access", f"`{self.snippet(node)}` is not available: figures cannot be saved to files; "
                                    f"leave the figure open and it is returned as a chart.", node)
        elif attr in policy.writer_methods:
            self.add("file-access", f"`.{attr}()` is not available: files cannot be written; assign the answer to "
                                    f"`result` instead.", node)
        elif attr in policy.text_writers:
            if not called:
                self.add("file-access", f"`{self.snippet(node)}` must be called directly, without a path.", node)
            elif self._writes_somewhere(parent):
                self.add("file-access", f"`{self.snippet(parent)}` cannot write to a file or buffer: call "
                                        f"`.{attr}()` without a path to get the text, or assign the data to `result`.",
                         parent)
        elif attr in ("eval", "query"):
            if not called:
                self.add("eval-expression", f"`{self.snippet(node)}` must be called directly with a string literal.",
                         node)
            else:
                self._check_expression_call(parent, attr)
        elif attr in ("format", "format_map"):
            self._check_format_receiver(node)
            if called and attr in policy.formatter_methods and not isinstance(node.value, (ast.Constant, ast.Name)):
                self._check_formatter_arguments(parent, f".{attr}")
        elif attr in policy.formula_methods:
            if called:
                self._check_formula_call(parent)
            else:
                self.add("formula-expression", f"`{self.snippet(node)}` must be called directly with a formula "
                                               f"literal.", node)

    def _writes_somewhere(self, call):
        for arg in call.args:
            if not (isinstance(arg, ast.Constant) and arg.value is None):
                return True
        for keyword in call.keywords:
            if keyword.arg in self.policy.path_keywords and not (
                    isinstance(keyword.value, ast.Constant) and keyword.value.value is None):
                return True
            if keyword.arg is None:
                return True
        return False

    # -- strings ----------------------------------------------------------------------------------------------------

    def visit_Constant(self, node):
        if not isinstance(node.value, str):
            return
        text = _norm(node.value)
        if "__" in text:
            for match in _DUNDER_IN_TEXT.finditer(text):
                name = match.group(0)
                if name not in self.policy.dunder_strings:
                    self.add("dunder", f"The string {self.snippet(node)} names `{name}`: double-underscore names "
                                       f"cannot be used, not even as strings.", node)
                    return
        if "{" in text and ("." in text or "[" in text):
            self._check_format_fields(node, text)

    def _check_format_fields(self, node, text):
        try:
            fields = list(string.Formatter().parse(text))
        except (ValueError, TypeError):
            return
        for _, field, spec, _ in fields:
            for part in (field or "", spec or ""):
                for attribute in re.findall(r"\.\s*([^\W\d][\w]*)", part):
                    attribute = _norm(attribute)
                    if attribute.startswith("_") or attribute in self.policy.introspection:
                        self.add("string-attribute-access", f"The format string {self.snippet(node)} reads the "
                                                            f"attribute `{attribute}`: format fields may only use "
                                                            f"positions, names and keys.", node)
                        return

    def _check_format_receiver(self, node):
        receiver = node.value
        if isinstance(receiver, ast.Constant):
            return
        if isinstance(receiver, ast.Name) and receiver.id == "str":
            call = self.parents.get(node)
            first = call.args[0] if isinstance(call, ast.Call) and call.args else None
            if first is None or self.literal(first) is None:
                self.add("string-attribute-access", f"`{self.snippet(node)}` needs a string literal as the format "
                                                    f"string.", node)
            return
        if isinstance(receiver, ast.Name):
            if self.literal(receiver) is None and (receiver.id in self.literal_strings
                                                   or self.binding_sites(receiver.id)):
                self.add("string-attribute-access", f"`{self.snippet(node)}`: format strings must be string "
                                                    f"literals (or names assigned only literals); use an f-string.",
                         node)
            return
        if isinstance(receiver, (ast.BinOp, ast.JoinedStr, ast.Call, ast.Subscript)):
            self.add("string-attribute-access", f"`{self.snippet(node)}`: format strings built at run time are not "
                                                f"allowed; use an f-string.", node)

    def _check_formatter_arguments(self, call, label):
        """`df.style.format(fmt)`, `StrMethodFormatter(fmt)`: the format string reads attributes of the values
        through its fields, so it must be a literal (checked like every string) or a function."""
        candidates = list(call.args[:1]) + [k.value for k in call.keywords if k.arg in ("formatter", "fmt", None)]
        for candidate in candidates:
            problem = self._computed_string(candidate)
            if problem:
                self.add("string-attribute-access", f"The format given to `{label}` must be a string literal or a "
                                                    f"function: {problem}.", candidate)

    def _check_dispatch(self, call):
        """`df.agg('mean')` looks the method up by name: refuse private and dangerous names, and names computed at
        run time (concatenations, f-strings, parameters, variables that are not literals)."""
        policy = self.policy
        candidates = [k.value for k in call.keywords if k.arg in policy.dispatch_keywords_anywhere] \
            if call.keywords else []
        func = call.func
        name = func.attr if type(func) is ast.Attribute else func.id if type(func) is ast.Name else None
        if name in policy.dispatch_methods:
            candidates += call.args[1:2] if name == "NamedAgg" else call.args[:1]
            candidates += [k.value for k in call.keywords if k.arg in policy.dispatch_keywords]
            if name in ("agg", "aggregate"):
                # named aggregation: `agg(total=('col', func))` and `agg(**{'total': ('col', func)})`
                for keyword in call.keywords:
                    value = keyword.value
                    if keyword.arg is None:
                        specs = value.values if isinstance(value, ast.Dict) else [value.value] \
                            if isinstance(value, ast.DictComp) else [value]
                    elif keyword.arg not in policy.dispatch_keywords:
                        specs = [value]
                    else:
                        specs = []
                    for spec in specs:
                        if isinstance(spec, (ast.Tuple, ast.List)):
                            candidates += spec.elts[1:]
                        elif not isinstance(spec, ast.Call):
                            candidates.append(spec)
        for candidate in candidates:
            problem = self._computed_string(candidate)
            if problem:
                self.add("string-attribute-access", f"The function given to `{self.snippet(func)}` must be a "
                                                    f"function, a lambda or a string literal such as 'mean' "
                                                    f"(pandas looks strings up as method names): {problem}.",
                         candidate)
                continue
            for text_node in self._strings_in(candidate):
                name = _norm(text_node.value).strip()
                if name.startswith("_") or name in self.policy.refused_method_names \
                        or name in self.policy.builtins or name in self.policy.introspection:
                    self.add("string-attribute-access", f"The method name {self.snippet(text_node)} given as a string "
                                                        f"is not allowed: pass a function, or one of pandas' "
                                                        f"reductions such as 'sum' or 'mean'.", text_node)

    def _strings_in(self, node, seen=None):
        """The string literals a function argument can be: itself, elements of containers, and the literals a
        name is assigned (or loops over)."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node]
        found = []
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            for element in node.elts:
                found += self._strings_in(element, seen)
        elif isinstance(node, ast.Dict):
            for value in node.values:
                found += self._strings_in(value, seen)
        elif isinstance(node, ast.IfExp):
            found += self._strings_in(node.body, seen) + self._strings_in(node.orelse, seen)
        elif isinstance(node, ast.Name) and node.id not in self.bindings:
            seen = set() if seen is None else seen
            if node.id not in seen:
                seen.add(node.id)
                for site_kind, site in self.binding_sites(node.id):
                    if site_kind in ("assign", "for"):
                        found += self._strings_in(site, seen)
        return found

    # -- calls --------------------------------------------------------------------------------------------------------

    def visit_Call(self, node):
        policy = self.policy
        func = node.func
        if node.keywords:
            self._check_dispatch(node)
            self._check_keywords(node)
        elif type(func) is ast.Attribute and func.attr in policy.dispatch_methods:
            self._check_dispatch(node)
        kind = type(func)
        if kind is ast.Name and func.id == "type" and len(node.args) == 3 and not self.binding_sites("type"):
            self.add("string-evaluation", f"`{self.snippet(node)}` creates a class from strings: use a `class` "
                                          f"statement.", node)
        if not (kind is ast.Attribute or (kind is ast.Name and func.id in self.bindings)):
            return
        for ref in self.resolve(node.func):
            path = ref.path
            last = path.rsplit(".", 1)[-1]
            if last in policy.type_factories or (last in policy.enum_factories and len(node.args) + len(
                    node.keywords) >= 2):
                self._check_factory(node, last)
            elif path in policy.format_functions:
                self._check_formatter_arguments(node, self.snippet(func))
            if path in policy.readers:
                self._check_reader(node, path)
            elif path == "pandas.eval":
                self._check_expression_call(node, "eval")
            elif path in policy.option_functions:
                self._check_options(node, path)
            elif path in policy.style_functions:
                self._check_style(node)
            elif path.rsplit(".", 1)[0] in policy.formula_sections:
                self._check_formula_call(node)

    def _check_factory(self, call, kind):
        """namedtuple, NamedTuple, TypedDict, TypeVar, NewType and Enum('Name', ...) turn strings into class and
        attribute names (and typing turns string types into code): names must be literals, types plain types."""
        args = call.args
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        label = self.snippet(call.func)

        def refuse(node, what):
            self.add("string-evaluation", f"`{label}(...)`: {what}.", node)

        def literal_name(node):
            if node is not None and not isinstance(self.literal(node), str):
                refuse(node, f"the name {self.snippet(node)} must be a string literal")

        def type_expression(node):
            problem = self._annotation_problem(node)
            if problem:
                refuse(node, f"the type {self.snippet(node)} {problem}; name the type directly")

        def fields(node, typed):
            if node is None or isinstance(self.literal(node), str):
                return
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    literal_name(key if key is not None else value)
                    if typed and key is not None:
                        type_expression(value)
                return
            if not isinstance(node, (ast.List, ast.Tuple)):
                refuse(node, f"the fields {self.snippet(node)} must be written out as literals")
                return
            for element in node.elts:
                if isinstance(element, (ast.Tuple, ast.List)) and element.elts:
                    literal_name(element.elts[0])
                    if typed:
                        for item in element.elts[1:]:
                            type_expression(item)
                else:
                    literal_name(element)

        if kind in self.policy.enum_factories:
            literal_name(args[0] if args else keywords.get("value"))
            fields(args[1] if len(args) > 1 else keywords.get("names"), False)
            if "type" in keywords:
                type_expression(keywords["type"])
        elif kind in ("namedtuple", "NamedTuple", "TypedDict"):
            literal_name(args[0] if args else keywords.get("typename"))
            fields(args[1] if len(args) > 1 else keywords.get("field_names", keywords.get("fields")),
                   kind != "namedtuple")
            if kind != "namedtuple":
                for name, value in keywords.items():
                    if name not in ("typename", "fields", "total"):
                        type_expression(value)
        else:  # NewType, TypeVar, ParamSpec, TypeVarTuple
            literal_name(args[0] if args else keywords.get("name"))
            for value in list(args[1:]) + [keywords[k] for k in ("bound", "tp") if k in keywords]:
                type_expression(value)
        for name in ("module", "qualname"):
            if name in keywords:
                literal_name(keywords[name])

    def _check_keywords(self, call):
        """Keyword arguments that reconfigure or start processes, also when spelled `**{'name': value}`."""
        policy = self.policy
        pairs = []
        for keyword in call.keywords:
            if keyword.arg is not None:
                pairs.append((keyword.arg, keyword.value))
            elif isinstance(keyword.value, ast.Dict):
                for key, value in zip(keyword.value.keys, keyword.value.values):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        pairs.append((_norm(key.value), value))
        for name, value in pairs:
            if name in policy.rc_keywords:
                self._check_rc(value)
            elif name in policy.backend_keywords:
                allowed = policy.backend_keywords[name]
                if not (isinstance(value, ast.Constant) and value.value in allowed):
                    self.add("runtime-configuration", f"`{name}=` must be one of {allowed}: other plotting "
                                                      f"backends are imported by name.", value)
            elif name in policy.process_keywords:
                allowed = policy.process_keywords[name]
                if not (isinstance(value, ast.Constant) and value.value in allowed):
                    shown = " or ".join("None" if v is None else repr(v) for v in allowed)
                    self.add("process-spawning", f"`{name}=` must be {shown}: the code cannot start other "
                                                 f"processes.", value)

    def _check_reader(self, call, path):
        keywords = self.policy.readers[path]
        source = call.args[0] if call.args else None
        for keyword in call.keywords:
            if keyword.arg in keywords:
                source = keyword.value
        if source is None or not self._in_memory(source, path.startswith("numpy.")):
            name = self.snippet(call.func)
            self.add("file-access", f"`{self.snippet(call)}` is not available: files and URLs cannot be read; "
                                    f"{self.policy.data_hint}. `{name}` works only on `io.StringIO(\"...\")` of a "
                                    f"string literal.", call)

    def _in_memory(self, node, lines_allowed):
        if isinstance(node, ast.Call) and not node.keywords and len(node.args) <= 1:
            if any(ref.path in self.policy.buffers for ref in self.resolve(node.func)):
                return not node.args or self.literal(node.args[0]) is not None
        if lines_allowed and isinstance(node, (ast.List, ast.Tuple)):
            return all(self.literal(element) is not None for element in node.elts)
        return False

    def _check_rc(self, value):
        """`sns.set_theme(rc={...})` sets matplotlib rc parameters: only look-and-feel keys, as literals."""
        if isinstance(value, ast.Constant) and value.value is None:
            return
        if not isinstance(value, ast.Dict):
            self.add("runtime-configuration", "`rc=` must be a dict literal of style settings such as "
                                              "{'figure.figsize': (10, 6)}.", value)
            return
        for key in value.keys:
            text = self.literal(key) if key is not None else None
            if not isinstance(text, str) or not text.startswith(self.policy.rc_prefixes) \
                    or text in self.policy.rc_refused:
                shown = self.snippet(key) if key is not None else "**"
                self.add("runtime-configuration", f"The rc setting {shown} cannot be changed: only look-and-feel "
                                                  f"settings (figure., axes., font., lines., ...) can.",
                         key if key is not None else value)

    def _check_options(self, call, path):
        keys = call.args[0::2] if path.endswith("option_context") else call.args[:1]
        if not keys and path.endswith("reset_option"):
            return
        for key in keys:
            text = self.literal(key)
            if not isinstance(text, str):
                self.add("runtime-configuration", f"`{self.snippet(call.func)}` needs the option name as a string "
                                                  f"literal.", key)
            elif not (text.startswith(self.policy.option_prefixes) or text in self.policy.option_names):
                self.add("runtime-configuration", f"The pandas option '{text}' cannot be changed: only display "
                                                  f"options (e.g. 'display.max_columns') can.", key)

    def _check_style(self, call):
        for arg in call.args[:1]:
            names = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
            for name in names:
                text = self.literal(name)
                if not isinstance(text, str) or not self.policy.style_pattern.match(text):
                    self.add("runtime-configuration", f"`{self.snippet(call)}`: styles must be given by name as a "
                                                      f"string literal (e.g. 'ggplot'), not by path.", call)
                    return

    # -- strings that pandas evaluates -----------------------------------------------------------------------------

    def _check_expression_call(self, call, kind):
        expression = call.args[0] if call.args else None
        for keyword in call.keywords:
            if keyword.arg == "expr":
                expression = keyword.value
        label = "pd.eval" if kind == "eval" and self.resolve(call.func) else "." + kind
        self._check_expression_options(call, label)
        if expression is None:
            return
        if not (isinstance(expression, ast.Constant) and isinstance(expression.value, str)):
            hint = " Refer to variables with `@name` instead of formatting them into the string." \
                if isinstance(expression, (ast.JoinedStr, ast.BinOp, ast.Call)) else ""
            self.add("eval-expression", f"The expression of `{label}` must be a string literal.{hint}", expression)
            return
        problem = self._expression_problem(expression.value, kind)
        if problem:
            self.add("eval-expression", f"The expression of `{label}` {problem}.", expression)

    def _check_expression_options(self, call, label):
        """`level=` makes pandas resolve `@names` in the frames above the code (the worker's own), `local_dict`,
        `global_dict` and `resolvers` replace the names an expression sees: refused. Engine and parser: literals."""
        policy = self.policy
        extra = call.args[1:] if label == "pd.eval" else call.args[2:]
        if label != "pd.eval":
            for inplace in call.args[1:2]:
                if not (isinstance(inplace, ast.Constant) and inplace.value in (True, False, None)):
                    extra = [inplace] + list(extra)
        for arg in extra:
            self.add("eval-expression", f"`{label}` takes its options by name (e.g. `engine='python'`), not as "
                                        f"`{self.snippet(arg)}`.", arg)
        for keyword in call.keywords:
            name = keyword.arg
            value = keyword.value
            if name is None:
                self.add("eval-expression", f"`{label}` options cannot be given as `**{self.snippet(value)}`: "
                                            f"name them.", value)
            elif name in policy.expression_refused_keywords:
                self.add("eval-expression", f"The option `{name}=` of `{label}` changes where the expression's "
                                            f"names are looked up: refer to variables as `@name` instead.", keyword)
            elif name in ("engine", "parser"):
                allowed = policy.expression_engines if name == "engine" else policy.expression_parsers
                if not (isinstance(value, ast.Constant) and value.value in allowed):
                    shown = ", ".join("None" if v is None else repr(v) for v in allowed)
                    self.add("eval-expression", f"`{name}=` of `{label}` must be one of {shown}.", value)

    def _expression_problem(self, text, kind):
        text = _norm(text)
        placeholders = []

        def backticked(match):
            placeholders.append(match.group(0))
            return f" bt_{len(placeholders)} "

        source = _BACKTICKED.sub(backticked, text)
        source = _LOCAL_REF.sub(r"at_ref_\1", source)
        if "@" in source:
            return "uses `@` with something other than a variable name"
        try:
            tree = ast.parse(source.strip(), mode="exec")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return "cannot be parsed as a Python expression; write it as one, e.g. 'a > 1 and b == \"x\"'"
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and kind == "eval":
                if not all(isinstance(t, ast.Name) for t in statement.targets):
                    return "may only assign to column names"
            elif not isinstance(statement, ast.Expr):
                return "must be an expression"
        policy = self.policy
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                name = node.id
                if _is_dunder(name):
                    return f"uses `{name}`, a double-underscore name"
                local = name[len("at_ref_"):] if name.startswith("at_ref_") else name
                if local in self.bindings:
                    return f"refers to the module `{local}`: only columns and `@variables` can be used"
            elif isinstance(node, ast.Attribute):
                attr = node.attr
                if attr not in policy.expression_attributes:
                    return f"uses `.{attr}`: only {', '.join(sorted(policy.expression_attributes)[:12])}... " \
                           f"are available in expressions"
            elif isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in policy.expression_functions:
                    continue
                if isinstance(func, ast.Attribute) and func.attr in policy.expression_attributes:
                    continue
                return f"calls `{ast.unparse(func)}`: only {', '.join(sorted(policy.expression_functions))} " \
                       f"and simple methods such as `.str.contains` are available"
            elif isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
                                   ast.NamedExpr, ast.Starred, ast.Await, ast.Yield, ast.YieldFrom,
                                   ast.JoinedStr)):
                return f"uses `{type(node).__name__}`, which pandas expressions do not support"
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _DUNDER_IN_TEXT.search(node.value):
                return "names a double-underscore attribute"
        return None

    def _check_formula_call(self, call):
        candidates = list(call.args[:1])
        candidates += [k.value for k in call.keywords if k.arg in self.policy.formula_keywords]
        for candidate in candidates:
            formulas = candidate.values if isinstance(candidate, ast.Dict) else [candidate]
            for formula in formulas:
                if formula is None:
                    continue
                if not (isinstance(formula, ast.Constant) and isinstance(formula.value, str)):
                    if isinstance(formula, ast.Constant) and formula.value is None:
                        continue
                    self.add("formula-expression", f"The formula of `{self.snippet(call.func)}` must be a string "
                                                   f"literal such as 'y ~ x1 + C(group)'.", formula)
                    continue
                problem = self._formula_problem(formula.value)
                if problem:
                    self.add("formula-expression", f"The formula {self.snippet(formula)} {problem}.", formula)

    def _formula_problem(self, text):
        text = _norm(text)
        out = []
        quote = None
        for char in text:
            if quote:
                if char == quote:
                    quote = None
            elif char in "\"'":
                quote = char
            elif char == ":":
                char = "*"
            elif char == "~":
                char = "\n"
            elif char == "|":
                char = "+"
            out.append(char)
        sides = [side.strip() for side in "".join(out).split("\n")]
        try:
            trees = [ast.parse(side, mode="eval") for side in sides if side]
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return "cannot be checked: write it as 'y ~ x1 + x2' with columns, `C()`, `I()`, `Q()` and `np` functions"
        for tree in trees:
            problem = self._formula_tree_problem(tree)
            if problem:
                return problem
        return None

    def _formula_tree_problem(self, tree):
        policy = self.policy
        # patsy may call functions the code defines or assigns (`f = lambda v: ...`): those are checked code too
        defined = set(self.literal_strings) | set(self._defined_functions())
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                name = node.id
                if _is_dunder(name):
                    return f"uses `{name}`, a double-underscore name"
                if name in policy.builtins:
                    return f"uses `{name}`, a built-in that is not available (quote a column of that name as " \
                           f"Q('{name}'))"
                if name in self.bindings and not isinstance(self.parents_in(tree, node), ast.Attribute):
                    return f"uses the module `{name}` as a value"
            elif isinstance(node, ast.Attribute):
                refs = self.resolve(node)
                if not refs or any(r.section for r in refs):
                    return f"uses `{ast.unparse(node)}`: only allowed module functions such as `np.log` can be used"
            elif isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name):
                    name = func.id
                    if name not in policy.formula_functions and name not in defined:
                        return f"calls `{name}`: only {', '.join(sorted(policy.formula_functions))}, functions " \
                               f"defined in the code and allowed module functions (e.g. `np.log`) can be used"
            elif isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
                                   ast.NamedExpr, ast.Subscript, ast.JoinedStr, ast.Starred)):
                return f"uses `{type(node).__name__}`, which formulas do not need"
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _DUNDER_IN_TEXT.search(node.value):
                return "names a double-underscore attribute"
        return None

    @staticmethod
    def parents_in(tree, target):
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                if child is target:
                    return node
        return None

    def _defined_functions(self):
        for node in self.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
            yield node.name

    # -- f-strings and result -------------------------------------------------------------------------------------

    def _check_fstrings(self):
        """GraalPy parses Python 3.12 f-strings (PEP 701); the worker runs 3.11, which does not accept them."""
        start = getattr(tokenize, "FSTRING_START", None)
        if start is None or ast.JoinedStr not in self.by_type or not self._fstrings_suspicious():
            return
        end = tokenize.FSTRING_END
        middle = tokenize.FSTRING_MIDDLE
        stack = []
        try:
            for token in tokenize.generate_tokens(io.StringIO(self.code).readline):
                kind = token.type
                if kind == start:
                    quote = token.string.lstrip("rRbBfFuU")
                    if stack and self._quote_conflict(stack, quote):
                        self._fstring_violation(token, f"reuses the quote {stack[-1]} inside its braces")
                        return
                    stack.append(quote)
                elif kind == end:
                    if stack:
                        stack.pop()
                elif stack and kind != middle:
                    if kind == tokenize.STRING:
                        quote = token.string.lstrip("rRbBfFuU")[:3]
                        quote = quote if quote in ('"""', "'''") else quote[:1]
                        if self._quote_conflict(stack, quote):
                            self._fstring_violation(token, f"reuses the quote {stack[-1]} inside its braces")
                            return
                        if "\\" in token.string:
                            self._fstring_violation(token, "has a backslash inside its braces")
                            return
                    elif kind == tokenize.COMMENT:
                        self._fstring_violation(token, "has a comment inside its braces")
                        return
                    elif kind in (tokenize.NL, tokenize.NEWLINE) and len(stack[-1]) == 1:
                        self._fstring_violation(token, "spans several lines inside its braces")
                        return
        except (tokenize.TokenError, SyntaxError, IndentationError):
            return

    def _fstrings_suspicious(self):
        """Cheap filter before tokenising: does any f-string have a quote, backslash, `#` or newline in its braces
        that could make it 3.12-only? Conservative: a yes only means the exact check runs."""
        ascii_code = self.code.isascii()
        lines = self.code.splitlines(True)
        empty = ""
        if not ascii_code:
            lines = [line.encode("utf-8") for line in lines]  # ast columns are UTF-8 offsets
            empty = b""

        def segment(node):
            try:
                first, last = node.lineno - 1, node.end_lineno - 1
                if first == last:
                    text = lines[first][node.col_offset:node.end_col_offset]
                else:
                    text = lines[first][node.col_offset:] + empty.join(lines[first + 1:last]) \
                        + lines[last][:node.end_col_offset]
                return text if ascii_code else text.decode("utf-8", "replace")
            except (TypeError, IndexError, AttributeError):
                return None

        for joined in self.by_type[ast.JoinedStr]:
            whole = segment(joined)
            if whole is None:
                return True
            inner = [segment(part.value) for part in joined.values if type(part) is ast.FormattedValue]
            outside = whole
            for text in inner:
                if text is None:
                    return True
                outside = outside.replace(text, "", 1)
            for text in inner:
                if "\\" in text or "#" in text or "\n" in text:
                    return True
                if ("'" in text and "'" in outside) or ('"' in text and '"' in outside):
                    return True
        return False

    @staticmethod
    def _quote_conflict(stack, quote):
        for outer in stack:
            if quote[0] == outer[0] and (len(outer) == 1 or quote == outer):
                return True
        return False

    def _fstring_violation(self, token, what):
        self.add("python-version", f"This f-string {what}, which needs Python 3.12; the code runs on Python 3.11: "
                                   f"use the other quote character or compute the value before the f-string.",
                 line=token.start[0], column=token.start[1] + 1)

    def _check_result(self):
        for node in self.nodes(ast.Name, ast.alias):
            if type(node) is ast.Name and node.id == "result" and type(node.ctx) is ast.Store:
                if self._module_level(node):
                    return
            if isinstance(node, ast.alias) and (node.asname or "") == "result" and self._module_level(node):
                return
        self.add("result-missing", "The code never assigns `result`: store the final answer in a variable named "
                                   "`result` (at the top level of the code).", line=1, column=1)

    def _module_level(self, node):
        current = self.parents.get(node)
        while current is not None:
            if isinstance(current, _SCOPES) or isinstance(current, ast.ClassDef):
                if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    return any(isinstance(n, ast.Global) and "result" in n.names for n in ast.walk(current))
                return False
            current = self.parents.get(current)
        return True


_VISITORS = [(getattr(ast, name[len("visit_"):]), getattr(Checker, name))
             for name in sorted(dir(Checker)) if name.startswith("visit_")]
