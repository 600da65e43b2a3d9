"""The import allow-list (src/main/resources/policy/allowed-modules.txt): parsing and matching."""


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
        for raw in text.splitlines():
            line = raw.split('#', 1)[0].strip()
            if not line:
                continue
            denied = line.startswith('!')
            name = line[1:].strip() if denied else line
            tree = name.endswith('.*')
            if tree:
                name = name[:-2]
            if not name or not all(part.isidentifier() for part in name.split('.')):
                raise ValueError('invalid module pattern in the import allow-list: %r' % raw)
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
