"""Annotations, subscripts of typing forms and match patterns: they name types only and never read attributes by string.

A part of the validator's Checker (validation/policy.py composes the parts); methods reach the policy data
through ``self.policy`` and the checker's index of the tree through ``self``."""

import ast

from policy_common import _NOTHING, _is_dunder


class PatternRules:
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
