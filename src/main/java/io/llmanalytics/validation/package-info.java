/**
 * Validation of generated analysis code: Python's own {@code ast} running in GraalPy, in-JVM, against an allow-list
 * policy ({@code src/main/resources/validation/policy.py}, its data in {@code rules.json} and
 * {@code module-attributes.txt}, the import list shared with the worker in {@code policy/allowed-modules.txt}).
 *
 * <p>
 * It is the first of independent layers, never the only one: the worker's child (restricted builtins, audit hook,
 * seccomp, rlimits, file-system confinement) must hold when this layer is bypassed. What it checks, in short:
 * <ul>
 * <li>imports and module attributes against allow-lists; no module object used as a value;</li>
 * <li>no dangerous builtins, dunder names/attributes/strings, private attributes, frames or code objects, also when
 * read by the keyword names of {@code match} class patterns ({@code case object(__globals__=g)});</li>
 * <li>no file, network or process entry points of the analysis libraries;</li>
 * <li>strings that become code or names are literals the policy has read: eval/query expressions (and none of the
 * options that move name lookup, such as {@code level=}), statsmodels formulas, functions that pandas looks up by
 * name ({@code agg}, {@code apply}, {@code transform}, {@code aggfunc=}, {@code estimator=}), format strings that can
 * read attributes; annotations only name types, and the library entry points that evaluate strings or annotations
 * ({@code typing.get_type_hints}, {@code ForwardRef}, {@code functools.singledispatch}, {@code inspect.signature},
 * {@code dataclasses.make_dataclass}, three-argument {@code type()}) are refused (issue 13).</li>
 * </ul>
 * The rules are listed by {@code GET /api/policy}; each has a case that fires and a near miss that passes
 * ({@code src/test/resources/validation/rule-cases.json}), and DS-1000's pandas reference solutions measure the false
 * alarms.
 */
package io.llmanalytics.validation;
