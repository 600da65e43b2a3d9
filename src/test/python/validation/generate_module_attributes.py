#!/usr/bin/python3
"""Generates src/main/resources/validation/module-attributes.txt, the attribute allow-list of the validator.

Run it with the worker's Python (Debian's /usr/bin/python3, which has the analysis libraries):

    /usr/bin/python3 src/test/python/validation/generate_module_attributes.py > src/main/resources/validation/module-attributes.txt

It walks the public analysis modules by attribute access (the paths generated code uses: `pd.DataFrame`,
`sm.tsa.seasonal_decompose`, `plt.style.use`), keeps every public name that is not a module, recurses only into the
modules listed in SECTIONS, and drops the names in DENY (files, processes, network, pickle, run-time configuration,
introspection and test helpers). The output is reviewed by hand and committed; the validator only reads it.
"""
import importlib
import re
import sys
import types
import warnings

warnings.simplefilter("ignore")

# Canonical module names whose attributes generated code may use. A module reached by attribute access is followed
# only if its canonical name is here; every other module object (re-exports such as `plt.sys`, `np.math`,
# `sns.mpl`) is left out.
SECTIONS = [
    # pandas
    "pandas", "pandas.api", "pandas.api.types", "pandas.api.indexers", "pandas.arrays", "pandas.errors",
    "pandas.plotting", "pandas.tseries", "pandas.tseries.offsets", "pandas.tseries.frequencies",
    "pandas.tseries.holiday",
    # numpy
    "numpy", "numpy.random", "numpy.linalg", "numpy.fft", "numpy.polynomial", "numpy.polynomial.polynomial",
    "numpy.polynomial.chebyshev", "numpy.polynomial.legendre", "numpy.polynomial.hermite",
    "numpy.polynomial.laguerre", "numpy.ma", "numpy.core.defchararray", "numpy.core.records",
    "numpy.lib.scimath", "numpy.lib", "numpy.lib.stride_tricks",
    # scipy
    "scipy", "scipy.stats", "scipy.stats.mstats", "scipy.stats.contingency", "scipy.stats.qmc", "scipy.optimize",
    "scipy.interpolate", "scipy.integrate", "scipy.linalg", "scipy.signal", "scipy.signal.windows", "scipy.spatial",
    "scipy.spatial.distance", "scipy.spatial.transform", "scipy.special", "scipy.cluster", "scipy.cluster.hierarchy",
    "scipy.cluster.vq", "scipy.sparse", "scipy.sparse.linalg", "scipy.sparse.csgraph", "scipy.fft", "scipy.fftpack",
    "scipy.ndimage", "scipy.constants", "scipy.odr",
    # statsmodels
    "statsmodels", "statsmodels.api", "statsmodels.formula", "statsmodels.formula.api", "statsmodels.tsa",
    "statsmodels.tsa.api", "statsmodels.tsa.stattools", "statsmodels.tsa.seasonal", "statsmodels.tsa.holtwinters",
    "statsmodels.tsa.arima", "statsmodels.tsa.arima.model", "statsmodels.tsa.statespace",
    "statsmodels.tsa.statespace.sarimax", "statsmodels.tsa.ar_model", "statsmodels.tsa.arima_process",
    "statsmodels.tsa.filters", "statsmodels.tsa.filters.hp_filter", "statsmodels.stats",
    "statsmodels.stats.api", "statsmodels.stats.multicomp", "statsmodels.stats.diagnostic",
    "statsmodels.stats.proportion", "statsmodels.stats.weightstats", "statsmodels.stats.anova",
    "statsmodels.stats.outliers_influence", "statsmodels.stats.multitest", "statsmodels.stats.power",
    "statsmodels.stats.stattools", "statsmodels.stats.contingency_tables", "statsmodels.stats.correlation_tools",
    "statsmodels.stats.descriptivestats", "statsmodels.stats.inter_rater", "statsmodels.stats.mediation",
    "statsmodels.stats.nonparametric", "statsmodels.stats.oneway", "statsmodels.stats.rates",
    "statsmodels.genmod.families", "statsmodels.genmod.families.links", "statsmodels.genmod.cov_struct",
    "statsmodels.graphics.api", "statsmodels.graphics.tsaplots", "statsmodels.graphics.gofplots",
    "statsmodels.graphics.regressionplots", "statsmodels.graphics.mosaicplot", "statsmodels.graphics.boxplots",
    "statsmodels.nonparametric.api", "statsmodels.nonparametric.smoothers_lowess", "statsmodels.nonparametric.kde",
    "statsmodels.robust", "statsmodels.robust.norms", "statsmodels.regression", "statsmodels.regression.linear_model",
    "statsmodels.regression.quantile_regression", "statsmodels.regression.mixed_linear_model",
    "statsmodels.regression.rolling", "statsmodels.discrete.discrete_model", "statsmodels.duration.api",
    "statsmodels.multivariate.api", "statsmodels.emplike.api", "statsmodels.gam.api", "statsmodels.imputation.mice",
    "statsmodels.distributions", "statsmodels.distributions.empirical_distribution",
    "statsmodels.tools", "statsmodels.tools.tools", "statsmodels.tools.eval_measures",
    # scikit-learn: the public subpackages are added below
    "sklearn",
    # charts
    "matplotlib", "matplotlib.pyplot", "matplotlib.dates", "matplotlib.ticker", "matplotlib.colors",
    "matplotlib.cm", "matplotlib.patches", "matplotlib.lines", "matplotlib.style", "seaborn", "seaborn.cm",
    "plotly.express", "plotly.graph_objects", "plotly.subplots", "plotly.express.colors",
    # standard library
    "math", "cmath", "statistics", "decimal", "fractions", "numbers", "random", "datetime", "calendar", "time",
    "zoneinfo", "re", "json", "string", "textwrap", "unicodedata", "difflib", "collections", "collections.abc",
    "itertools", "functools", "operator", "heapq", "bisect", "copy", "typing", "dataclasses", "enum", "pprint",
    "io",
]

SKLEARN_EXCLUDED = {"datasets", "externals", "tests", "conftest", "utils"}
SKLEARN_UTILS = ["sklearn.utils", "sklearn.utils.class_weight", "sklearn.utils.multiclass",
                 "sklearn.utils.validation", "sklearn.utils.extmath"]

# Names refused in every module: files, processes, network, pickle, interpreter internals, tests.
DENY_EVERYWHERE = {
    "load", "dump", "save", "savez", "savez_compressed", "savetxt", "fromfile", "tofile",
    "memmap", "DataSource", "fromregex", "recfromcsv", "recfromtxt", "ctypeslib", "open", "urlopen",
    "test", "tests", "bench", "show_config", "show_versions", "get_include", "source", "lookfor", "info", "who",
    "webdoc", "datasets", "iolib", "load_pickle", "to_pickle", "read_pickle", "savefig", "imsave", "imread",
    "sys", "os", "subprocess", "importlib", "inspect", "ctypes", "pickle", "shutil", "socket", "builtins",
    "testing", "compat", "util", "core", "conftest", "distutils", "f2py", "version",
    "add_newdoc", "add_docstring", "add_newdoc_ufunc", "set_string_function", "deprecate", "deprecate_with_doc",
    "safe_eval", "byte_bounds", "disp", "as_strided", "LowLevelCallable",
    "load_npz", "save_npz", "loadmat", "savemat", "get_data_home", "load_dataset", "get_dataset_names",
    "rc", "rcParams", "rcParamsDefault", "rcParamsOrig", "rcdefaults", "rc_context", "rc_file", "rc_file_defaults",
    "rc_params", "rc_params_from_file", "use", "switch_backend", "get_backend", "new_figure_manager",
    "install_repl_displayhook", "uninstall_repl_displayhook", "get_current_fig_manager", "reload_library",
    "register_dataframe_accessor", "register_series_accessor", "register_index_accessor",
    "register_extension_dtype", "register_cmap", "set_loglevel",
    "get_type_hints", "ForwardRef", "attrgetter", "methodcaller", "Formatter", "singledispatch",
    "singledispatchmethod", "signature", "get_annotations", "make_dataclass", "reset_tzpath", "main",
    "parallel_backend", "register_parallel_backend", "ExcelWriter", "ExcelFile", "HDFStore",
    "ginput", "waitforbuttonpress", "subplot_tool", "connect", "disconnect", "set_numeric_ops", "Tester",
    "PytestTester", "show_runtime", "use_hugepage", "dispatch_table", "logger", "setup_module", "clock_settime",
    "clock_settime_ns", "run_spec",
}

# Extra names refused in one module (by canonical section name).
DENY_IN = {
    "pandas": {"set_eng_float_format"},
    # sample data sets (files), widgets (a notebook server), mapbox tokens and maps (whose tiles and outlines
    # plotly.js fetches from remote servers), streaming, the image exporter (kaleido, orca)
    "plotly.express": {"data", "set_mapbox_access_token", "get_trendline_results", "defaults", "imshow_utils",
                       "io", "offline", "FigureWidget", "absolute_import", "choropleth", "choropleth_mapbox",
                       "density_mapbox", "line_geo", "line_mapbox", "scatter_geo", "scatter_mapbox"},
    "plotly.express.colors": {"absolute_import"},
    "plotly.graph_objects": {"FigureWidget", "io", "offline", "Choropleth", "Choroplethmapbox", "Densitymapbox",
                             "Scattergeo", "Scattermapbox", "Stream"},
    "plotly.subplots": {"FigureWidget", "absolute_import", "unicode_literals"},
}

# Sections whose entries are exactly these names (everything else in them is refused).
ONLY = {
    "io": ["StringIO", "BytesIO"],
    "numpy.lib": ["stride_tricks", "scimath"],
    "numpy.lib.stride_tricks": ["sliding_window_view"],
    "matplotlib": ["pyplot", "dates", "ticker", "colors", "cm", "patches", "lines"],
    "matplotlib.style": ["use", "context", "available"],
    "sklearn.utils": ["resample", "shuffle", "Bunch", "check_random_state", "class_weight", "multiclass",
                      "validation", "extmath", "compute_class_weight", "compute_sample_weight", "indexable",
                      "column_or_1d", "check_array", "check_X_y"],
    "sklearn.utils.validation": ["check_array", "check_X_y", "check_is_fitted", "column_or_1d", "indexable"],
    "statsmodels": ["api", "formula", "tsa", "stats", "genmod", "graphics", "nonparametric", "robust", "regression",
                    "discrete", "duration", "multivariate", "emplike", "gam", "imputation", "distributions",
                    "tools"],
    "statsmodels.tools": ["tools", "eval_measures", "add_constant"],
    "statsmodels.tools.tools": ["add_constant", "categorical", "pinv_extended", "rank", "fullrank"],
}

# pandas.read_* readers that the validator allows on in-memory buffers built from literals; every other reader
# is refused by name.
PANDAS_READERS = {"read_csv", "read_table", "read_fwf", "read_json"}
NUMPY_READERS = {"loadtxt", "genfromtxt"}

# Hand-written sections for objects that are not modules but are reached like namespaces.
EXTRA = {
    "pandas": ["options"],
    "pandas.options": ["display", "mode", "compute", "styler"],
    "pandas.options.display": ["*"],
    "pandas.options.mode": ["chained_assignment", "use_inf_as_na", "use_inf_as_null", "string_storage",
                            "copy_on_write", "data_manager"],
    "pandas.options.compute": ["use_bottleneck", "use_numexpr", "use_numba"],
    "pandas.options.styler": ["*"],
}


# Modules that re-export other modules of their own package under a short name (`np.char`, `plt.cm`, `sm.tsa`).
FACADES = {"numpy", "pandas", "matplotlib.pyplot", "statsmodels.api", "statsmodels.tsa.api", "statsmodels.stats.api",
           "statsmodels.graphics.api"}


def same_package(a, b):
    return a.split(".")[0] == b.split(".")[0]


def public(name):
    return not name.startswith("_")


def allowed_name(section, name):
    if section in ONLY:
        return name in ONLY[section]
    if name in DENY_EVERYWHERE or name in DENY_IN.get(section, ()):
        return False
    if name.startswith("read_"):
        return section == "pandas" and name in PANDAS_READERS
    # x13 runs an external program; the rest read or write files
    if re.fullmatch(r"(to|from)_?file|(load|save)(?!s$)\w*|x13\w*", name) and name not in NUMPY_READERS:
        return False
    return True


def main():
    sections = list(SECTIONS)
    import sklearn
    import pkgutil
    for info in pkgutil.walk_packages(sklearn.__path__, "sklearn.", onerror=lambda _: None):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts) or parts[1] in SKLEARN_EXCLUDED or "tests" in parts:
            continue
        sections.append(info.name)
    sections += SKLEARN_UTILS

    modules = {}
    for name in sections:
        try:
            modules[name] = importlib.import_module(name)
        except Exception as error:  # a module missing in this Python is left out, with a note
            print(f"# skipped {name}: {type(error).__name__}: {error}", file=sys.stderr)
    canonical = set(modules)

    entries = {}

    def walk(path, module, canon, chain=()):
        if path in entries or canon in chain or len(chain) > 4:
            return
        chain = chain + (canon,)
        names = set()
        entries[path] = names
        for name in sorted(dir(module)):
            if not public(name) or not allowed_name(canon, name):
                continue
            try:
                value = getattr(module, name)
            except Exception:
                continue
            if isinstance(value, types.ModuleType):
                target = value.__name__
                # follow submodules of the same package only, never re-exports of other packages
                if target in canonical and target not in chain and (
                        target.startswith(canon + ".") or (canon in FACADES and same_package(canon, target))):
                    names.add(name)
                    walk(path + "." + name, value, target, chain)
                continue
            names.add(name)
        for child in sorted(canonical):
            if child.startswith(canon + ".") and "." not in child[len(canon) + 1:]:
                leaf = child[len(canon) + 1:]
                if allowed_name(canon, leaf) and path + "." + leaf not in entries:
                    names.add(leaf)
                    walk(path + "." + leaf, modules[child], child, chain)

    for name in sorted(canonical):
        walk(name, modules[name], name)
    for section, names in EXTRA.items():
        entries.setdefault(section, set()).update(names)

    print("# The validator's attribute allow-list. Generated by src/test/python/validation/generate_module_attributes.py")
    print("# (reviewed by hand; edit the generator, not this file) with Python", sys.version.split()[0] + ",",
          ", ".join(f"{m} {modules[m].__version__}" for m in ("pandas", "numpy", "scipy", "sklearn",
                                                            "statsmodels", "matplotlib", "seaborn", "plotly")
                    if m in modules and hasattr(modules[m], "__version__")) + ".")
    print("#")
    print("# Attribute paths that generated code may use on module objects. Each `[section]` is a module (or a")
    print("# namespace such as `pandas.options`) reached by its attribute path; the names under it are its allowed")
    print("# attributes. A name that is itself a section is followed; any other name is a value (class, function,")
    print("# constant) whose own attributes are free, subject to the validator's other rules. `*` allows every")
    print("# public attribute. Anything not listed is refused, naming the path.")
    for section in sorted(entries):
        if not entries[section]:
            continue
        print()
        print(f"[{section}]")
        line = ""
        for name in sorted(entries[section]):
            if len(line) + len(name) + 1 > 118:
                print(line.rstrip())
                line = ""
            line += name + " "
        if line:
            print(line.rstrip())


if __name__ == "__main__":
    main()
