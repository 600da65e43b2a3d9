"""The policy's data, read once per context: the import allow-list (through the worker's parser), the module
attribute allow-list and the rules of validation/rules.json."""

import json
import re

from import_policy import parse_allow_list  # the worker's parser of the import allow-list (worker/policy.py)
from policy_common import Ref


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
        charts = data["charts"]
        self.chart_writers = set(charts["writer_methods"])
        self.chart_html_keywords = set(charts["html_keywords"])
        self.chart_modules = tuple(m + "." for m in charts["figure_modules"])
        self.chart_show_keywords = set(charts["show_keywords"])
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
                                   | {"eval", "query", "format", "format_map"} | self.formula_methods
                                   | self.chart_writers | {"show"})
        self.snippet_length = limits["snippet_length"]

    def guarded(self, path):
        """Functions whose arguments are checked: they may only be called directly, never passed around."""
        known = self._guarded.get(path)
        if known is None:
            known = self._guarded[path] = path in self.readers or path in self.option_functions \
                or path in self.style_functions or path == "pandas.eval" \
                or path.rsplit(".", 1)[0] in self.formula_sections
        return known
