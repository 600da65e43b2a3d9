"""Attributes: module attributes from the allow-list, dunders, private names, frames and introspection, and the I/O methods of values (writers, figures).

A part of the validator's Checker (validation/policy.py composes the parts); methods reach the policy data
through ``self.policy`` and the checker's index of the tree through ``self``."""

import ast

from policy_common import _DUNDER_IN_TEXT, _is_dunder, _norm


class AttributeRules:
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
        if attr in policy.chart_writers:
            self.add("chart-output", f"`{self.snippet(node)}` is not available: figures cannot be written or exported; "
                                     f"leave the Plotly figure in a variable (or call `fig.show()`) and it is "
                                     f"returned as an interactive chart.", node)
        elif attr == "show":
            if called and self._shows_with_renderer(parent):
                self.add("chart-output", f"`{self.snippet(parent)}` is not available: figures are not rendered, "
                                         f"opened or served here; call `fig.show()` without arguments and the "
                                         f"figure is returned as an interactive chart.", parent)
        elif attr == "to_html" and (self._is_plotly_figure(node.value)
                                    or called and self._plotly_html_call(parent)):
            self.add("chart-output", f"`{self.snippet(node)}` is not available: Plotly figures are not turned into "
                                     f"HTML here; leave the figure in a variable and it is returned as an "
                                     f"interactive chart.", node)
        elif attr in policy.figure_methods:
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

    def _shows_with_renderer(self, call):
        """`fig.show('browser')`, `fig.show(renderer=...)`: any argument (plt.show's own `block=` aside)."""
        if call.args:
            return True
        return any(k.arg is None or k.arg in self.policy.chart_show_keywords for k in call.keywords)

    def _plotly_html_call(self, call):
        return any(k.arg is None or k.arg in self.policy.chart_html_keywords for k in call.keywords)

    def _is_plotly_figure(self, node, depth=0):
        """Whether `node` is (or is a name only ever bound to) the value of a call into plotly: `px.bar(...)`,
        `go.Figure(...)`, `make_subplots(...)`, or a method of such a value (`fig.update_layout(...)`)."""
        if depth > 8:
            return False
        if isinstance(node, ast.Call):
            refs = self.resolve(node.func)
            if any(ref.path.startswith(self.policy.chart_modules) for ref in refs):
                return True
            return isinstance(node.func, ast.Attribute) and self._is_plotly_figure(node.func.value, depth + 1)
        if isinstance(node, ast.Name):
            sites = self.binding_sites(node.id)
            return any(kind == "assign" and site is not None and self._is_plotly_figure(site, depth + 1)
                       for kind, site in sites)
        return False

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
