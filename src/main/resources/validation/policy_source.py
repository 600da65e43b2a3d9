"""The source text itself (f-strings the tokenizer must read as the parser does) and the `result` the code must set.

A part of the validator's Checker (validation/policy.py composes the parts); methods reach the policy data
through ``self.policy`` and the checker's index of the tree through ``self``."""

import ast

from policy_common import _SCOPES


class SourceRules:
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
