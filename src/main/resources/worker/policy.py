"""The import allow-list (src/main/resources/policy/allowed-modules.txt): the one parser, and matching.

The worker imports this module as ``policy``; the validator (GraalPy, in the JVM) loads the same file as the module
``import_policy`` (see io.llmanalytics.validation.PolicySources); the prompt's Java reader
(io.llmanalytics.validation.ImportAllowList) implements the grammar below with the same regular expression, and a
shared fixture (src/test/resources/policy/tricky-allowed-modules.txt) is read by every reader in the tests.

Grammar, kept small enough to read the same in Python and Java:
* the text is split into lines at ``\n`` only;
* ``#`` starts a comment wherever it appears, to the end of the line;
* spaces, tabs and carriage returns are stripped from both ends; what is left empty is skipped;
* every other line must match ``ENTRY`` (ASCII dotted identifiers, an optional leading ``!``, an optional trailing
  ``.*``), or the whole file is refused;
* a line equal to an earlier one is dropped (the first one keeps its place).
"""
import re

ENTRY = re.compile(r'!?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?:\.\*)?\Z')


def parse_allow_list(text):
    """The entries of the allow-list in canonical form (``name``, ``name.*``, ``!name``, ``!name.*``), in file order,
    without duplicates. Raises ValueError naming the first line outside the grammar."""
    entries = []
    seen = set()
    for number, raw in enumerate(text.split('\n'), 1):
        line = raw.split('#', 1)[0].strip(' \t\r')
        if not line:
            continue
        if not ENTRY.match(line):
            raise ValueError('invalid module pattern in the import allow-list, line %d: %r' % (number, raw))
        if line not in seen:
            seen.add(line)
            entries.append(line)
    return entries


class ImportPolicy:
    """Which modules analysis code may import.

    Lines are ``name`` (exactly that module), ``name.*`` (the module and its submodules) and ``!name`` /
    ``!name.*`` (forbidden even where a broader line allows it; exclusions always win). ``#`` starts a comment.
    """

    def __init__(self, text):
        self._exact = set()
        self._trees = set()
        self._denied_exact = set()
        self._denied_trees = set()
        for line in parse_allow_list(text):
            denied = line.startswith('!')
            name = line[1:] if denied else line
            tree = name.endswith('.*')
            if tree:
                name = name[:-2]
            target = (self._denied_trees if tree else self._denied_exact) if denied else \
                (self._trees if tree else self._exact)
            target.add(name)
        self._parents = set()
        for name in self._exact | self._trees:
            parts = name.split('.')
            for i in range(1, len(parts)):
                self._parents.add('.'.join(parts[:i]))

    def frozen(self):
        """(exact, trees, denied_exact, denied_trees, parents) as frozensets, for the audit hook's immutable state."""
        return (frozenset(self._exact), frozenset(self._trees), frozenset(self._denied_exact),
                frozenset(self._denied_trees), frozenset(self._parents))

    def allows(self, module):
        """Whether ``module`` (a dotted name) may be imported by analysis code."""
        if not isinstance(module, str) or not module:
            return False
        if module in self._denied_exact or self._in_tree(module, self._denied_trees):
            return False
        return module in self._exact or self._in_tree(module, self._trees)

    def allows_load(self, module):
        """Whether loading ``module`` on behalf of analysis code is fine: allowed, or a parent package of an allowed
        module (``import matplotlib.pyplot`` loads ``matplotlib`` first)."""
        return self.allows(module) or module in self._parents

    @staticmethod
    def _in_tree(module, trees):
        parts = module.split('.')
        for i in range(len(parts), 0, -1):
            if '.'.join(parts[:i]) in trees:
                return True
        return False
