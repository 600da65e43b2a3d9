"""The validator's policy: checks generated analysis code with Python's own `ast` before the worker runs it.

Loaded once into each GraalPy context of the validator's pool. `configure(...)` receives the policy data
(validation/rules.json), the shared import allow-list (policy/allowed-modules.txt) and the module attribute
allow-list (validation/module-attributes.txt); `check(code)` returns the violations as a list of
[rule, message, line, column] (1-based line and column), empty when the code is accepted.

The checker is split by rule family into modules that `Checker` composes (each a base class whose `visit_*`
methods the one traversal dispatches to): policy_imports (imports), policy_names (names, builtins, definitions),
policy_patterns (annotations and match patterns), policy_strings (strings that become names: format fields,
dispatch by name), policy_attributes (module attributes, dunders, private names, I/O methods), policy_calls (calls:
factories, readers, runtime configuration), policy_evaluated (expressions and formulas the libraries evaluate) and
policy_source (the source text and `result`); policy_data holds the data `configure` reads, policy_common what
they share. The JVM has no file system in the context: io.llmanalytics.validation.PolicySources lists the modules
and PolicyContext serves them to `import` from the class path.

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

from policy_common import _CHILD_FIELDS, _IDENTIFIER_FIELDS, _NOTHING, _norm
from policy_data import Policy
from policy_imports import ImportRules
from policy_names import NameRules
from policy_patterns import PatternRules
from policy_strings import StringRules
from policy_attributes import AttributeRules
from policy_calls import CallRules
from policy_evaluated import EvaluatedStringRules
from policy_source import SourceRules

_POLICY = None


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


class Checker(ImportRules, NameRules, PatternRules, StringRules, AttributeRules, CallRules, EvaluatedStringRules, SourceRules):
    """One check of one piece of code: the index of its tree, name resolution and the violations found. The rules
    of each family are in the base classes (policy_imports, policy_names, ...), all dispatched from one traversal
    (`_VISITORS`)."""

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


_VISITORS = [(getattr(ast, name[len("visit_"):]), getattr(Checker, name))
             for name in sorted(dir(Checker)) if name.startswith("visit_")]
