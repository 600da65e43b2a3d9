"""Strings that become attribute or function names: where a string value comes from (binding sites, computed strings), format fields and receivers, dispatch by name (agg, apply, aggfunc=...).

A part of the validator's Checker (validation/policy.py composes the parts); methods reach the policy data
through ``self.policy`` and the checker's index of the tree through ``self``."""

import ast
import re
import string

from policy_common import _norm


class StringRules:
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
