"""Calls and entry points: factories that make functions or types from strings, readers of in-memory data only, runtime configuration (options, styles, rc), process keywords.

A part of the validator's Checker (validation/policy.py composes the parts); methods reach the policy data
through ``self.policy`` and the checker's index of the tree through ``self``."""

import ast

from policy_common import _norm


class CallRules:
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
