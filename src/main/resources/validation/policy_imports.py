"""Imports: only modules of the shared allow-list, by their full public names.

A part of the validator's Checker (validation/policy.py composes the parts); methods reach the policy data
through ``self.policy`` and the checker's index of the tree through ``self``."""

import ast

from policy_common import _is_dunder


class ImportRules:
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
