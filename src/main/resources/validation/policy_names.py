"""Names and definitions: forbidden builtins, dunder and private identifiers, shadowing, global/nonlocal, exception names and keyword arguments.

A part of the validator's Checker (validation/policy.py composes the parts); methods reach the policy data
through ``self.policy`` and the checker's index of the tree through ``self``."""

import ast

from policy_common import _SCOPES, _is_dunder


class NameRules:
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
