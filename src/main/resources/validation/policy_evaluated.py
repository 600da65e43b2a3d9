"""Strings evaluated as code by the libraries: pandas eval/query expressions and patsy formulas must be checked literals.

A part of the validator's Checker (validation/policy.py composes the parts); methods reach the policy data
through ``self.policy`` and the checker's index of the tree through ``self``."""

import ast
import io
import tokenize

from policy_common import _BACKTICKED, _DUNDER_IN_TEXT, _LOCAL_REF, _is_dunder, _norm


class EvaluatedStringRules:
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
