"""The layers that contain analysis code inside an execution child. Each one holds on its own:

* rlimits      - address space, CPU seconds, file size 0 (SIGXFSZ ignored), open files, processes, core dumps;
* privileges   - when started as root, the child drops to nobody/nogroup (no effect when not root);
* audit        - a PEP 578 audit hook refusing file opens outside the libraries or for writing, directory listings,
                 sockets, subprocesses, os.system/exec/spawn/fork/kill, ctypes, pickle globals, frame and code
                 introspection from analysis code, and imports by analysis code of modules outside the allow-list;
                 dangerous modules are also dropped from ``sys.modules`` so that importing them raises the event;
* seccomp      - a kernel allow-list (``ALLOWED_SYSCALLS``; any other call kills the child): reading, memory, time,
                 threads of its own; no sockets, no exec, no new processes, no opening files for writing, no changes
                 to the file system, no signals, no ptrace or process_vm_*, no raising rlimits, no namespaces...;
* builtins     - analysis code sees builtins without open/eval/exec/compile/input/breakpoint/help/globals/locals/
                 vars, and an ``__import__`` that only imports modules of the allow-list.

Production code always applies every layer (``ALL``). Only the Python test suite passes other ``Layers`` values, to
show that each layer alone stops its class of attack; nothing in the protocol or the environment can.
"""
import builtins
import collections
import ctypes
import errno
import os
import resource
import select
import signal
import sys
import sysconfig
import time
import types

USER_FILENAME = '<analysis>'

Layers = collections.namedtuple('Layers', 'rlimits privileges landlock seccomp audit builtins')
ALL = Layers(rlimits=True, privileges=True, landlock=True, seccomp=True, audit=True, builtins=True)
NONE = Layers(rlimits=False, privileges=False, landlock=False, seccomp=False, audit=False, builtins=False)

Limits = collections.namedtuple('Limits', 'address_space_headroom cpu_seconds max_open_files')

NOBODY = 65534

# --------------------------------------------------------------------------------------------------------------------
# Read roots: the directories analysis code (through the libraries) may read from.


def library_roots(extra=()):
    """The real paths of the Python installation, the libraries, matplotlib's data and fonts and the time zone
    database. Computed once in the supervisor; children inherit the result."""
    candidates = set(extra)
    paths = sysconfig.get_paths()
    for key in ('stdlib', 'platstdlib', 'purelib', 'platlib'):
        candidates.add(paths[key])
    prefixes = tuple(os.path.realpath(p) + '/' for p in ('/usr/lib', '/usr/local/lib', '/usr/share', sys.prefix))
    for entry in sys.path:
        real = os.path.realpath(entry) if entry else ''
        if real and os.path.isdir(real) and real.startswith(prefixes):
            candidates.add(real)
    try:
        import matplotlib
        from matplotlib import font_manager
        candidates.add(matplotlib.get_data_path())
        for font in font_manager.fontManager.ttflist + font_manager.fontManager.afmlist:
            candidates.add(os.path.dirname(font.fname))
    except ImportError:
        pass
    candidates.add('/usr/share/zoneinfo')
    roots = set()
    for candidate in candidates:
        real = os.path.realpath(candidate)
        if os.path.isdir(real) and real != '/' and not real.startswith(('/proc', '/sys', '/dev', '/etc', '/tmp',
                                                                       '/root', '/home', '/var', '/run')):
            roots.add(real)
    return tuple(sorted(roots))


def within(path, roots):
    return any(path == root or path.startswith(root + '/') for root in roots)


# --------------------------------------------------------------------------------------------------------------------
# Layer: rlimits


def current_address_space():
    """This process's virtual size (VmSize), from /proc/self/statm: its first field, in pages (the same figure as
    /proc/self/status gives, which costs five times as much to produce)."""
    with open('/proc/self/statm', 'rb') as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def apply_rlimits(limits):
    address_space = current_address_space() + limits.address_space_headroom
    cpu = max(1, int(limits.cpu_seconds))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.max_open_files, limits.max_open_files))
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    resource.setrlimit(resource.RLIMIT_MSGQUEUE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))


# --------------------------------------------------------------------------------------------------------------------
# Layer: privileges


def drop_privileges():
    if os.geteuid() != 0:
        return
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)
    if os.geteuid() == 0 or os.getegid() == 0:
        raise RuntimeError('could not drop root privileges')


# --------------------------------------------------------------------------------------------------------------------
# Layer: Landlock (Linux >= 5.13, unprivileged): the kernel confines the child's file system, TCP and signal access

_SYS_LANDLOCK_CREATE_RULESET = 444  # the same numbers on every architecture (new syscalls are numbered together)
_SYS_LANDLOCK_ADD_RULE = 445
_SYS_LANDLOCK_RESTRICT_SELF = 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1

_FS_EXECUTE = 1 << 0
_FS_READ_FILE = 1 << 2
_FS_READ_DIR = 1 << 3
_FS_ABI1 = (1 << 13) - 1             # execute, write, read, read_dir, remove_*, make_* (every right of ABI 1)
_FS_REFER = 1 << 13                  # ABI 2: linking or renaming across directories
_FS_TRUNCATE = 1 << 14               # ABI 3
_FS_IOCTL_DEV = 1 << 15              # ABI 5
_NET_BIND_TCP = 1 << 0               # ABI 4
_NET_CONNECT_TCP = 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
_SCOPE_SIGNAL = 1 << 1

# Beneath the read roots: reading files and listing directories, nothing else (not even execute: seccomp refuses
# execve anyway, and mapping a library's code needs only read access).
LANDLOCK_READ = _FS_READ_FILE | _FS_READ_DIR


class _RulesetAttr(ctypes.Structure):
    _fields_ = [('handled_access_fs', ctypes.c_uint64), ('handled_access_net', ctypes.c_uint64),
                ('scoped', ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [('allowed_access', ctypes.c_uint64), ('parent_fd', ctypes.c_int32)]


Landlock = collections.namedtuple('Landlock', 'abi handled_fs handled_net scoped')


def landlock_abi():
    """The Landlock ABI version the kernel offers, or 0 when it has none (older kernel, not built in, or disabled at
    boot: ``lsm=`` without landlock)."""
    _libc.syscall.restype = ctypes.c_long
    version = _libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0),
                            ctypes.c_uint32(_LANDLOCK_CREATE_RULESET_VERSION))
    return max(0, int(version))


def landlock_rights(abi):
    """What a ruleset of this ABI handles (and therefore denies unless a rule allows it), degrading per ABI."""
    fs = _FS_ABI1
    if abi >= 2:
        fs |= _FS_REFER
    if abi >= 3:
        fs |= _FS_TRUNCATE
    if abi >= 5:
        fs |= _FS_IOCTL_DEV
    net = (_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0
    scoped = (_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL) if abi >= 6 else 0
    return Landlock(abi, fs, net, scoped)


def shared_library_dirs():
    """Directories the dynamic loader needs for libraries a module loads late (libgomp for scikit-learn...)."""
    dirs = set()
    for key in ('LIBDIR', 'LIBPL'):
        value = sysconfig.get_config_var(key)
        if value:
            dirs.add(value)
    multiarch = sysconfig.get_config_var('MULTIARCH')
    for base in ('/lib', '/usr/lib', '/lib64', '/usr/lib64'):
        if multiarch:
            dirs.add(os.path.join(base, multiarch))
    return tuple(sorted({os.path.realpath(d) for d in dirs if os.path.isdir(d)}))


def landlock_read_roots(roots):
    """What a confined child may read: the library roots and the shared libraries' directories, nothing else."""
    return tuple(sorted(set(roots) | set(shared_library_dirs())))


def _landlock_call(number, *args):
    result = _libc.syscall(number, *args)
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, 'landlock syscall %d failed: %s' % (number, os.strerror(err)))
    return result


def install_landlock(read_roots, abi):
    """Confines this process (and anything it could start) for good: read-only access beneath ``read_roots``, no
    file system change anywhere, no TCP bind or connect (ABI >= 4), no connecting to abstract unix sockets nor
    signalling processes outside this one's domain (ABI >= 6). Descriptors already open keep working."""
    if abi < 1:
        raise OSError(errno.EOPNOTSUPP, 'Landlock is not available on this kernel')
    rights = landlock_rights(abi)
    attr = _RulesetAttr(rights.handled_fs, rights.handled_net, rights.scoped)
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    _libc.syscall.restype = ctypes.c_long
    ruleset = _landlock_call(_SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size),
                             ctypes.c_uint32(0))
    try:
        for root in read_roots:
            try:
                fd = os.open(root, os.O_PATH | os.O_CLOEXEC | os.O_DIRECTORY)
            except OSError:
                continue  # a root that vanished is simply not readable
            try:
                rule = _PathBeneathAttr(LANDLOCK_READ & rights.handled_fs, fd)
                _landlock_call(_SYS_LANDLOCK_ADD_RULE, ctypes.c_int(ruleset),
                               ctypes.c_int(_LANDLOCK_RULE_PATH_BENEATH), ctypes.byref(rule), ctypes.c_uint32(0))
            finally:
                os.close(fd)
        if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), 'prctl(PR_SET_NO_NEW_PRIVS) failed')
        _landlock_call(_SYS_LANDLOCK_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)
    return rights


class Confinement:
    """How execution children are confined: the Landlock ABI to use (0: none) and whether running unconfined is
    allowed (an explicitly unsafe development setting of the service). Decided once in the supervisor, inherited."""

    __slots__ = ('abi', 'read_roots', 'allow_unconfined')

    def __init__(self, abi, read_roots, allow_unconfined=False):
        self.abi = abi
        self.read_roots = tuple(read_roots)
        self.allow_unconfined = bool(allow_unconfined)

    @classmethod
    def detect(cls, roots, allow_unconfined=False):
        return cls(landlock_abi(), landlock_read_roots(roots), allow_unconfined)

    def apply(self):
        """Applies Landlock, or refuses to go on without it unless running unconfined is allowed."""
        if self.abi >= 1:
            install_landlock(self.read_roots, self.abi)
        elif not self.allow_unconfined:
            raise RuntimeError('Landlock is not available on this kernel; analysis code is not run unconfined '
                               '(sandbox.allow-unconfined is off)')


def confinement_self_test(read_roots, abi, probe_file, timeout=10.0):
    """Proves on this kernel that a child confined like an execution child cannot read a file outside the roots
    (``probe_file``, readable by this process), list ``/`` nor, where the ABI handles them, connect over TCP or
    signal its parent, while it still reads the libraries. Runs in a forked child; returns a dict for the JVM:
    ``{confined, landlock_abi, filesystem, network, signals, problem}``."""
    report = {'confined': False, 'landlock_abi': abi, 'filesystem': False, 'network': False, 'signals': False,
              'problem': None}
    if abi < 1:
        report['problem'] = ('the kernel offers no Landlock (Linux 5.13 or later with landlock among its LSMs is '
                             'needed); analysis code would run with no file system confinement')
        return report
    import json
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        result = {}
        try:
            install_landlock(read_roots, abi)
            result = _probe_confinement(read_roots, probe_file, parent, landlock_rights(abi))
        except BaseException as e:  # noqa: reported to the parent
            result = {'problem': 'applying Landlock failed: %s' % e}
        try:
            os.write(write_fd, json.dumps(result).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    try:
        result = json.loads(b''.join(chunks) or b'{}')
    except ValueError:
        result = {}
    if not result:
        result = {'problem': 'the confinement self-test child gave no answer'}
    report.update(result)
    if report['problem'] is None and not report['filesystem']:
        report['problem'] = 'a confined child could still read outside the library directories'
    report['confined'] = report['problem'] is None and report['filesystem']
    return report


def _probe_confinement(read_roots, probe_file, parent, rights):
    import socket
    result = {'filesystem': False, 'network': False, 'signals': False, 'problem': None}
    inside = next((os.path.join(r, 'os.py') for r in read_roots if os.path.isfile(os.path.join(r, 'os.py'))), None)
    try:
        if inside is None:
            raise OSError(errno.ENOENT, 'no os.py beneath the library directories')
        os.close(os.open(inside, os.O_RDONLY))
    except OSError as e:
        result['problem'] = 'a confined child cannot read the libraries (%s)' % e
        return result
    denied = []
    for attempt in (lambda: os.open(probe_file, os.O_RDONLY), lambda: os.listdir('/'),
                    lambda: os.open('/proc/%d/environ' % parent, os.O_RDONLY)):
        try:
            fd = attempt()
            if isinstance(fd, int):
                os.close(fd)
            denied.append(False)
        except PermissionError:
            denied.append(True)
        except OSError:
            denied.append(False)
    result['filesystem'] = all(denied)
    if rights.handled_net:
        s = socket.socket()
        try:
            s.settimeout(1.0)
            s.connect(('127.0.0.1', 9))
        except PermissionError:
            result['network'] = True
        except OSError:
            pass
        finally:
            s.close()
    if rights.scoped & _SCOPE_SIGNAL:
        try:
            os.kill(parent, 0)
        except PermissionError:
            result['signals'] = True
    return result


# --------------------------------------------------------------------------------------------------------------------
# Layer: audit hook

# Refused whoever raises them (analysis code reaches library internals through attributes, so the caller does not
# matter).
_ALWAYS_DENIED = frozenset({
    'os.system', 'os.exec', 'os.fork', 'os.forkpty', 'os.posix_spawn', 'os.spawn', 'os.kill', 'os.killpg',
    'os.startfile', 'os.chdir', 'os.chmod', 'os.chown', 'os.chflags', 'os.lchflags', 'os.lchmod', 'os.link',
    'os.symlink', 'os.mkdir', 'os.remove', 'os.rename', 'os.rmdir', 'os.truncate', 'os.utime', 'os.setxattr', 'os.removexattr', 'os.lockf', 'signal.pthread_kill', 'pickle.find_class',
    'sys.addaudithook', 'sys._current_frames', 'sys._current_exceptions', 'builtins.input', 'builtins.breakpoint',
    'setopencode', 'gc.get_objects', 'gc.get_referrers', 'function.__new__', 'sys.settrace',
    'sys.setprofile',
})
_ALWAYS_DENIED_PREFIXES = (
    'socket.', 'subprocess.', '_posixsubprocess.', 'ctypes.', 'shutil.', 'tempfile.', 'mmap.', 'resource.',
    'fcntl.', 'cpython.', 'sqlite3.', 'syslog.', 'pty.', 'http.', 'urllib.', 'ftplib.', 'smtplib.', 'poplib.',
    'imaplib.', 'nntplib.', 'telnetlib.', 'webbrowser.', 'pdb.', 'ensurepip.', 'winreg.', 'msvcrt.', '_winapi.',
    'os.exec', 'os.spawn', 'os.posix_spawn',
)
# Refused when analysis code itself raises them (importlib unmarshals bytecode). Frames (sys._getframe, tb_frame...)
# are refused to analysis code and given to libraries (pandas and warnings look up frames); gc.get_referents only
# for plain objects (pandas asks it about chained assignment); compile and exec have rules of their own (see below).
_USER_DENIED = frozenset({
    'marshal.loads', 'marshal.load', 'marshal.dumps', 'sys.set_asyncgen_hook_firstiter',
    'sys.set_asyncgen_hook_finalizer',
})
_PATH_EVENTS = frozenset({'os.listdir', 'os.scandir', 'glob.glob', 'glob.glob/2', 'os.walk', 'os.fwalk',
                          'pathlib.Path.glob', 'pathlib.Path.rglob'})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND | getattr(os, 'O_TMPFILE', 0)

# Dangerous modules the libraries already loaded. They are dropped from ``sys.modules`` in the child (the libraries
# keep their references), so that ``import socket`` in analysis code loads the module again and the hook sees it.
HIDDEN_MODULES = ('subprocess', '_posixsubprocess', 'socket', '_socket', 'ssl', '_ssl', 'ctypes', '_ctypes', 'mmap',
                  'pty', 'shutil', 'tempfile', 'multiprocessing', 'fcntl', 'resource', 'asyncio', 'selectors',
                  'select', 'pickle', '_pickle', 'http', 'urllib.request', 'urllib.response', 'ftplib', 'smtplib',
                  'telnetlib', 'webbrowser', 'sqlite3', '_sqlite3', 'pdb', 'seccomp')


_HIDDEN_PACKAGES = tuple(h + '.' for h in HIDDEN_MODULES)


_kept_alive = []
_hidden_names = None


def prepare_hidden_modules():
    """Lists the loaded modules to hide; done once in the supervisor after the preload (about 5 ms), inherited."""
    global _hidden_names
    _hidden_names = tuple(n for n in sys.modules if n in HIDDEN_MODULES or n.startswith(_HIDDEN_PACKAGES))
    return _hidden_names


def hide_modules():
    """Takes the dangerous modules out of ``sys.modules``, keeping the objects alive (freeing them would only cost
    copy-on-write faults in the child)."""
    modules = sys.modules
    names = _hidden_names if _hidden_names is not None else prepare_hidden_modules()
    for name in names + HIDDEN_MODULES:
        module = modules.pop(name, None)
        if module is not None:
            _kept_alive.append(module)


# The hook and its helpers hold no state that Python code can change: each is a copy of the function below made with
# an empty globals dict (no global name is looked up at call time: a module's globals can be rewritten) and one
# default argument, an immutable tuple of frozensets, strings, code objects and C functions (whose behaviour no
# monkey-patching reaches). Nothing mutable is reachable from the hook, there is no "busy" flag to set, and a call
# made while the hook runs is judged like any other: the hook is re-entrant by construction.
# After installation every compile, exec and eval is treated as analysis code wherever it comes from:
# * "Library code" is code whose file name is beneath the library roots or the worker's directory, or a frozen module
#   (``<frozen os>``): code objects with such names come only from the libraries' own files, because compiling under
#   any other name than a generated one (``<string>``, ``<decorator-gen-1>``...) is refused unless the text is exactly
#   that file's, ``ast.parse`` is trusted only while ``ast``'s flags still make it return a tree, and code objects
#   cannot be made or altered (``code.__new__``, also raised by ``code.replace``) except by an extension module's own
#   initialisation, whose fixed C code names them after its build paths (``/build/.../x.pyx``, ``stringsource``),
#   and numpy's renaming of its fixed ``public_api`` wrapper (same bytecode, ``<__array_function__ internals>``).
#   Every other frame (``<analysis>``, ``<string>``, build paths) is analysis code for the frames, import and marshal
#   rules: "raised from a library" cannot be spoofed by code made at run time. Generated code that a library
#   module's import runs (patsy executes ``from patsy.builtins import *``) may import and unmarshal like that import.
# * Compiling and executing generated code (a generated name, never a library path) is allowed only
#   - while a library module is being imported: between the event and any analysis frame there is a library module's
#     top level (a ``<module>`` frame run by importlib). A module's top level is fixed code; what it generates
#     (dataclasses, typing's forward references, scipy's distributions, patsy's builtins) depends on its text, not on
#     analysis code, which would need a frame of its own on the stack to steer it. Extension modules (Cython) compile
#     and make code objects in their initialisation, run by ``ExtensionFileLoader.exec_module`` (checked with the
#     genuine ``_imp.exec_dynamic`` still in place), whose fixed C code makes them;
#   - at run time, from the trusted call sites of ``_TRUSTED_SITES`` (each reasoned about there);
#   - namedtuple's fixed template (field names are checked identifiers), and the insights' runner.
#   Whatever runs that way is generated code, so it is still analysis code to every rule below, and the OS layers
#   (Landlock, seccomp, rlimits) hold whatever it does.
# * ``os.putenv``/``os.unsetenv`` are allowed: the child's environment was cleared and it can never start a program
#   (seccomp refuses execve, Landlock grants no execute right), so the environment reaches no other process; joblib
#   sets ``KMP_INIT_AT_FORK`` when scikit-learn is imported.

_NAMEDTUPLE_TEMPLATE = r'lambda _cls(?:, [A-Za-z_][A-Za-z0-9_]*)*: _tuple_new\(_cls, \((?:[A-Za-z_][A-Za-z0-9_]*, )*' \
                       r'(?:[A-Za-z_][A-Za-z0-9_]*)?\)\)'


# Run-time call sites that may compile and execute generated source: (file name ending, function name, whether the
# nearest caller outside that file must be library code). A site is recognised by its code object's file name (an
# path beneath the library roots, which only the library's own file can carry, see above) and name.
_TRUSTED_SITES = (
    # patsy's EvalEnvironment.eval: evaluates the terms of a statsmodels formula (``smf.ols('y ~ np.log(x)', df)``).
    # Analysis code chooses the formula, so it steers the source: the validator checks formula strings like code
    # (names, calls and attributes of the policy), the evaluated code is analysis code to this hook (``<string>``),
    # and the OS layers hold whatever it does.
    ('/patsy/eval.py', 'eval', False),
    # scipy.stats distributions generate their argument parsers (``_parse_args``...) from their shape names, which
    # scipy checks are identifiers and not keywords; analysis code can only choose those names (subclassing
    # rv_continuous), and the parsers only return their arguments.
    ('/scipy/stats/_distn_infrastructure.py', '_attach_argparser_methods', False),
    # scipy's decorator package builds signature-preserving wrappers ``def f(a, b): return _call_(_func_, a, b)``
    # from an existing function's signature (names only; defaults are passed as objects, not as text).
    ('/scipy/_lib/decorator.py', 'make', False),
    # scipy's _make_tuple_bunch: a namedtuple-like template whose field names scipy checks are identifiers.
    ('/scipy/_lib/_bunch.py', '_make_tuple_bunch', False),
    # dataclasses writes __init__/__repr__/__eq__... from field names taken from the class's annotations, which
    # nothing checks: a class written by analysis code could inject source. Only for classes a library decorates
    # (its nearest caller outside dataclasses.py is library code); analysis code cannot declare dataclasses (the
    # validator refuses annotations), nor does it need to.
    ('/dataclasses.py', '_create_fn', True),
)


def _hook_body(event, args, S=None):
    (roots, always, always_prefixes, user_denied, path_events, write_flags, own_codes, compile_only_codes,
     namedtuple_match, namedtuple_code, opaque_types, function_type, PermissionError_, ImportError_, int_,
     analysis_code, trusted_runners, S2, S3) = S
    (str_, bytes_, isinstance_, type_, len_, range_, OSError_, lstat, readlink, islnk, user_filename, getframe,
     exact, trees, denied_exact, denied_trees, parents, _roots, posix_open, posix_read, posix_close, O_RDONLY,
     real, from_user, caller, allowed_load, file_is, code_prefixes) = S2
    ast_globals, ast_parse_code, real_compile, generated, generation_allowed, extension_init, ast_intact = S3[:7]
    numpy_internals, numpy_bytecode, code_type, in_import = S3[17:21]
    if event == 'object.__getattr__':
        if args[1] == 'f_code':
            return  # read by this hook itself to tell analysis code from libraries: never judged by frames
        if from_user(S2):
            raise PermissionError_('reading %s is not allowed in analysis code (%s)' % (args[1], event))
        return
    if event == 'sys._getframe':
        if args[0].f_code in own_codes:
            return  # this hook looking at its own frame
        if from_user(S2):
            raise PermissionError_('sys._getframe is not allowed in analysis code')
        return
    if event == 'open':
        path, mode, flags = args
        if isinstance_(mode, str_) and ('w' in mode or 'a' in mode or 'x' in mode or '+' in mode):
            raise PermissionError_('writing files is not allowed in analysis code (open)')
        if isinstance_(flags, int_) and flags & write_flags:
            raise PermissionError_('writing files is not allowed in analysis code (open)')
        resolved = real(path, S2)
        if resolved is None or not (resolved in roots[0] or resolved.startswith(roots[1])):
            raise PermissionError_('reading %r is not allowed in analysis code (open)'
                                   % (path if type_(path) in (str_, bytes_, int_) else type_(path).__name__))
        return
    if event == 'compile':
        source, filename = args
        if type_(source) is str_ or type_(source) is bytes_:
            # whoever called compile: ast.parse only ever produces a tree; typing.ForwardRef keeps the code of an
            # annotation, which can only be evaluated through exec (refused below)
            frame = caller(S2)
            if frame is not None and frame.f_code in compile_only_codes:
                if frame.f_code is not ast_parse_code or ast_intact(S3, type_, int_):
                    return  # not when ast's globals were changed to make ast.parse compile code
            if frame is not None and frame.f_code in trusted_runners:
                return
            text = source.decode('latin-1') if type_(source) is bytes_ else source
            if filename == '<string>' and namedtuple_match(text) is not None:
                return
            if file_is(filename, source, S2):
                return
            if generated(filename, str_, type_) and generation_allowed(frame, S2, S3):
                return  # a library module's import, or a trusted site at run time: still analysis code (see above)
        raise PermissionError_('compiling code is not allowed in analysis code (compile)')
    if event == 'exec':
        if args[0] is analysis_code:
            return  # the analysis code itself, started by the child
        frame = caller(S2)
        if frame is not None and (frame.f_code is namedtuple_code or frame.f_code in trusted_runners):
            return  # namedtuple evaluating its fixed template (field names are checked identifiers), or a runner
        filename = args[0].co_filename
        if type_(filename) is str_ and (filename.startswith('<frozen ') or
                                        (filename.endswith('.py') and file_is(filename, None, S2))):
            return  # a library module, executed by the import system
        if generated(filename, str_, type_) and generation_allowed(frame, S2, S3):
            return  # generated code of a library module's import or of a trusted site: still analysis code
        raise PermissionError_('executing code objects is not allowed in analysis code (exec)')
    if event == 'code.__new__':
        filename = args[1] if len_(args) > 1 else None
        if type_(filename) is str_ and not filename.startswith(code_prefixes) and not filename.startswith('<frozen'):
            if filename == numpy_internals and args[0] == numpy_bytecode:
                return  # numpy's array_function_dispatch renaming its fixed public_api wrapper (code.replace)
            if not filename.startswith('<') and generation_allowed(caller(S2), S2, S3):
                return  # an extension module's initialisation (Cython): fixed code, names that count as analysis code
        raise PermissionError_('code.__new__ is not allowed in analysis code (code.__new__)')
    if event == 'import':
        module = args[0]
        if not allowed_load(module, S2) and from_user(S2):
            if not in_import(S2, S3):
                raise ImportError_('import of module %r is not allowed in analysis code' % module, name=module)
        return
    if event in path_events:
        path = args[0] if args else None
        resolved = None if path is None else real(path, S2)
        if resolved is None or not (resolved in roots[0] or resolved.startswith(roots[1])):
            raise PermissionError_('listing directories is not allowed in analysis code (%s)' % event)
        return
    if event in always or event.startswith(always_prefixes):
        raise PermissionError_('%s is not allowed in analysis code (%s)' % (event, event))
    if event == 'object.__setattr__':
        if type_(args[0]) is function_type and args[0].__code__ in own_codes:
            raise PermissionError_('changing %s is not allowed in analysis code' % args[1])
        if args[1] == '__code__':
            new = args[2]
            if (type_(args[0]) is function_type and type_(new) is code_type and new.co_filename == numpy_internals
                    and new.co_code == numpy_bytecode and args[0].__code__.co_code == numpy_bytecode):
                return  # numpy's public_api wrapper getting its renamed copy (same bytecode, generated file name)
            raise PermissionError_('changing %s is not allowed in analysis code' % args[1])
        if args[1] in ('__defaults__', '__kwdefaults__') and from_user(S2):
            raise PermissionError_('changing %s is not allowed in analysis code' % args[1])
        return
    if event == 'gc.get_referents':
        for obj in args[0]:
            if isinstance_(obj, opaque_types):
                raise PermissionError_('gc.get_referents of frames, functions or code is not allowed')
        return
    if event in user_denied and from_user(S2) and not in_import(S2, S3):
        raise PermissionError_('%s is not allowed in analysis code (%s)' % (event, event))


def _real_path(path, S2):
    """The path with every symbolic link resolved (relative paths from ``/``, the child's directory), from C functions
    only; None when it is not a path or has too many links."""
    str_, bytes_, type_, OSError_, lstat, readlink, islnk = S2[0], S2[1], S2[3], S2[6], S2[7], S2[8], S2[9]
    if type_(path) is bytes_:
        path = path.decode('utf-8', 'surrogateescape')
    if type_(path) is not str_ or '\0' in path:
        return None
    todo = path.split('/')
    todo.reverse()
    resolved = ''
    links = 0
    while todo:
        part = todo.pop()
        if part == '' or part == '.':
            continue
        if part == '..':
            resolved = resolved[:resolved.rfind('/')] if '/' in resolved else ''
            continue
        candidate = resolved + '/' + part
        try:
            mode = lstat(candidate).st_mode
        except OSError_:
            resolved = candidate
            continue
        if islnk(mode):
            links += 1
            if links > 40:
                return None
            target = readlink(candidate).split('/')
            if target[0] == '':
                resolved = ''
            target.reverse()
            todo.extend(target)
        else:
            resolved = candidate
    return resolved or '/'


def _from_user(S2):
    """Whether the code that raised the event is analysis code: the first frame below the hook that is not the
    import system's is not library code (a path beneath the library roots or a frozen module; see the comment above
    the hook)."""
    getframe, roots = S2[11], S2[27]
    frame = getframe(0).f_back.f_back  # this function <- the hook <- whoever raised the event
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith('<frozen importlib'):
            frame = frame.f_back
            continue
        return not (name.startswith(roots) or name.startswith('<frozen '))
    return None


def _generated(filename, str_, type_):
    """Whether ``filename`` is a generated code name (``<string>``...), never a library's."""
    return type_(filename) is str_ and filename.startswith('<') and not filename.startswith('<frozen')


def _ast_intact(S3, type_, int_):
    """Whether ast.parse still compiles to a tree only: its flag globals are the real ints, compile the real one."""
    ast_globals, real_compile, only_ast = S3[0], S3[2], S3[15]
    flag = ast_globals.get('PyCF_ONLY_AST')
    comments = ast_globals.get('PyCF_TYPE_COMMENTS')
    return (type_(flag) is int_ and flag == only_ast and type_(comments) is int_
            and ast_globals.get('compile', real_compile) is real_compile)


def _extension_init(frame, S3):
    """Whether ``frame`` is importlib running an extension module's initialisation with the genuine
    ``_imp.exec_dynamic`` (``ExtensionFileLoader.exec_module`` -> ``_call_with_frames_removed`` -> C code)."""
    frames_removed, ext_exec_module, ext_globals, imp_module, imp_dict, exec_dynamic, module_type = S3[7:14]
    type_ = S3[16]
    if frame is None or frame.f_code is not frames_removed:
        return False
    up = frame.f_back
    if up is None or up.f_code is not ext_exec_module:
        return False
    return (ext_globals.get('_imp') is imp_module and type_(imp_module) is module_type
            and imp_dict.get('exec_dynamic') is exec_dynamic)


def _in_import(S2, S3):
    """Whether the event comes from generated code that a library module's import runs (patsy's import executes
    ``from patsy.builtins import *``): that import then loads modules like any other library import."""
    frame = S2[11](0).f_back.f_back  # this function <- the hook <- whoever raised the event
    while frame is not None and frame.f_code.co_filename.startswith('<frozen importlib'):
        frame = frame.f_back
    if frame is None or frame.f_code.co_filename == S2[10]:
        return False
    return S3[4](frame.f_back, S2, S3)


def _generation_allowed(frame, S2, S3):
    """Whether generated code may be compiled or executed by the function of ``frame`` (the caller of compile or
    exec): a trusted site of ``_TRUSTED_SITES``, a library module's import, or an extension module's initialisation.
    """
    roots = S2[27]
    frames_removed, sites, extension_init = S3[7], S3[14], S3[5]
    if frame is None:
        return False
    code = frame.f_code
    name = code.co_filename
    for suffix, function, library_callers in sites:
        if code.co_name == function and name.endswith(suffix) and name.startswith(roots):
            if not library_callers:
                return True
            up = frame.f_back
            while up is not None and up.f_code.co_filename == name:
                up = up.f_back
            if up is not None and up.f_code.co_filename.startswith(roots):
                return True
            break
    up = frame
    while up is not None:
        name = up.f_code.co_filename
        if not (name.startswith(roots) or name.startswith('<frozen ')):
            return False  # analysis or generated code before any module's top level
        if (up.f_code.co_name == '<module>' and name.startswith(roots) and up.f_back is not None
                and up.f_back.f_code is frames_removed):
            return True  # a library module's top level, run by importlib
        if up.f_code is frames_removed and extension_init(up, S3):
            return True  # an extension module's initialisation (its C code, and library code it calls)
        up = up.f_back
    return False


def _caller(S2):
    """The frame of whoever called the function that raised the event."""
    return S2[11](0).f_back.f_back  # this function <- the hook <- the caller of compile


def _allowed_load(module, S2):
    str_, type_, len_, range_ = S2[0], S2[3], S2[4], S2[5]
    exact, trees, denied_exact, denied_trees, parents = S2[12:17]
    if type_(module) is not str_ or not module:
        return False
    parts = module.split('.')
    for i in range_(len_(parts), 0, -1):
        if '.'.join(parts[:i]) in denied_trees:
            return False
    if module in denied_exact:
        return False
    if module in exact or module in parents:
        return True
    for i in range_(len_(parts), 0, -1):
        if '.'.join(parts[:i]) in trees:
            return True
    return False


def _file_is(filename, source, S2):
    """Whether ``filename`` is a library file (beneath the roots) and, when ``source`` is given, holds exactly it."""
    str_, type_, OSError_ = S2[0], S2[3], S2[6]
    roots, posix_open, posix_read, posix_close, O_RDONLY, real = S2[17:23]
    resolved = real(filename, S2)
    if resolved is None or not (resolved in roots[0] or resolved.startswith(roots[1])):
        return False
    if source is None:
        return True
    try:
        fd = posix_open(resolved, O_RDONLY)
    except OSError_:
        return False
    try:
        chunks = []
        while True:
            chunk = posix_read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        posix_close(fd)
    data = b''.join(chunks)
    if type_(source) is str_:
        return source.encode('utf-8', 'surrogateescape') == data
    return source == data


def code_prefixes(root_set, code_dirs=()):
    """Where library code lives: beneath the library roots, the worker's own modules (this directory) and
    ``code_dirs`` (the directory of a test's own result function, run by the child after the analysis code)."""
    dirs = {os.path.dirname(os.path.abspath(__file__))} | set(code_dirs)
    prefixes = set(root_set[1])
    for d in dirs:
        prefixes |= {os.path.abspath(d) + '/', os.path.realpath(d) + '/'}
    return tuple(sorted(prefixes))


_NUMPY_INTERNALS = '<__array_function__ internals>'


def _numpy_wrapper_bytecode():
    """The bytecode of numpy's ``public_api`` wrapper (numpy.core.overrides.array_function_dispatch), which numpy
    renames with ``code.replace(co_filename='<__array_function__ internals>')`` for every function it decorates:
    the same fixed code under a generated name (so analysis code to the hook). None when numpy has no such wrapper."""
    try:
        from numpy.core import overrides
    except ImportError:
        return None
    todo = [overrides.array_function_dispatch.__code__]
    while todo:
        code = todo.pop()
        if code.co_name == 'public_api':
            return code.co_code
        todo.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return None


def _sealed(function):
    """A copy of ``function`` that sees no globals, builtins included: it uses only what it is given."""
    return types.FunctionType(function.__code__, {'__builtins__': {}}, function.__name__)


def install_audit_hook(policy, roots, analysis_code=None, trusted_runners=(), user_filename=USER_FILENAME,
                       code_dirs=()):
    """Installs the hook (it cannot be removed). ``policy`` is an ImportPolicy, ``roots`` the readable directories,
    ``analysis_code`` the one code object (compiled before) that may be executed besides the libraries' modules,
    ``trusted_runners`` code objects of trusted functions that compile and run fixed snippets as analysis code (the
    insights' runner, in an insights child only): what they run is still analysis code to the hook."""
    import ast
    import re
    import stat
    import typing
    roots = tuple(roots)
    root_set = (frozenset(roots), tuple(r + '/' for r in roots))
    exact, trees, denied_exact, denied_trees, parents = policy.frozen()
    S2 = (str, bytes, isinstance, type, len, range, OSError, os.lstat, os.readlink, stat.S_ISLNK, user_filename,
          sys._getframe, exact, trees, denied_exact, denied_trees, parents, root_set, os.open, os.read, os.close,
          os.O_RDONLY, _sealed(_real_path), _sealed(_from_user), _sealed(_caller), _sealed(_allowed_load),
          _sealed(_file_is), code_prefixes(root_set, code_dirs))
    own_codes = frozenset({_hook_body.__code__, _from_user.__code__, _caller.__code__, _real_path.__code__,
                           _file_is.__code__, _allowed_load.__code__, _generated.__code__, _ast_intact.__code__,
                           _extension_init.__code__, _generation_allowed.__code__, _in_import.__code__})
    opaque = (types.FrameType, types.FunctionType, types.CodeType, types.CellType, types.TracebackType,
              types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType, types.MethodType,
              types.ModuleType)
    state = (root_set, _ALWAYS_DENIED, _ALWAYS_DENIED_PREFIXES, _USER_DENIED, _PATH_EVENTS, _WRITE_FLAGS, own_codes,
             frozenset({ast.parse.__code__, typing.ForwardRef.__init__.__code__}), re.compile(_NAMEDTUPLE_TEMPLATE).fullmatch,
             collections.namedtuple.__code__, opaque, types.FunctionType,
             PermissionError, ImportError, int, analysis_code, frozenset(trusted_runners), S2)
    import _imp
    bootstrap = sys.modules['_frozen_importlib']
    external = sys.modules['_frozen_importlib_external']
    S3 = (vars(ast), ast.parse.__code__, compile, _sealed(_generated), _sealed(_generation_allowed),
          _sealed(_extension_init), _sealed(_ast_intact), bootstrap._call_with_frames_removed.__code__,
          external.ExtensionFileLoader.exec_module.__code__, vars(external), _imp, vars(_imp), _imp.exec_dynamic,
          types.ModuleType, _TRUSTED_SITES, ast.PyCF_ONLY_AST, type, _NUMPY_INTERNALS, _numpy_wrapper_bytecode(),
          types.CodeType, _sealed(_in_import))
    state = state + (S3,)
    hook = types.FunctionType(_hook_body.__code__, {'__builtins__': {}}, 'audit_hook', (state,))
    sys.addaudithook(hook)


# --------------------------------------------------------------------------------------------------------------------
# Layer: seccomp

_CLONE_THREAD = 0x00010000
_TCGETS, _TIOCGWINSZ, _FIONREAD, _FIONBIO, _FIOCLEX = 0x5401, 0x5413, 0x541B, 0x5421, 0x5451
_F_DUPFD, _F_GETFD, _F_SETFD, _F_GETFL, _F_SETFL, _F_DUPFD_CLOEXEC = 0, 1, 2, 3, 4, 1030

# An allow-list, as nsjail's configs (``ALLOW { ... } DEFAULT KILL``): every system call not named here kills the
# whole child (SECCOMP_RET_KILL_PROCESS, seen by the executor as death by SIGSYS). Killing rather than returning an
# error: hostile code learns nothing by probing, and no library can quietly take a fallback path that nobody
# reviewed; the price is that a call a library needs and nobody listed ends the execution (loudly, never with a
# wrong answer). The list was derived with strace from the children of the worker's suites (DS-1000, the libraries'
# smoke tests, the hostile suite, the layer and confinement tests): what a forked child of a process that has
# already imported pandas, numpy, scipy, matplotlib, sklearn and statsmodels calls after the filter is installed,
# plus the calls of the same families the C runtime makes on paths those runs did not reach (reading time and
# identity, waiting, memory mapping). Calls that take arguments worth checking are in _CONDITIONAL_SYSCALLS.
ALLOWED_SYSCALLS = (
    # memory
    'brk', 'mmap', 'munmap', 'mremap', 'mprotect', 'madvise', 'mbind', 'get_mempolicy',  # (OpenBLAS' buffers)
    # descriptors already open, and reading files (Landlock limits where; openat is in the conditional list)
    'read', 'readv', 'pread64', 'preadv', 'preadv2', 'write', 'writev', 'close', 'lseek', 'dup', 'dup3',
    'fstat', 'newfstatat', 'stat', 'lstat', 'statx', 'statfs', 'fstatfs', 'getdents64', 'readlink', 'readlinkat',
    'access', 'faccessat', 'faccessat2', 'getcwd', 'fadvise64', 'poll', 'ppoll', 'select', 'pselect6',
    'epoll_create1', 'epoll_ctl', 'epoll_wait', 'epoll_pwait',
    # signals of its own
    'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn', 'sigaltstack',
    # time, waiting, threads of its own
    'clock_gettime', 'clock_getres', 'gettimeofday', 'time', 'nanosleep', 'clock_nanosleep', 'futex',
    'set_robust_list', 'get_robust_list', 'rseq', 'sched_yield', 'sched_getaffinity', 'set_tid_address',
    # reading its own identity and usage
    'getpid', 'gettid', 'getppid', 'getuid', 'geteuid', 'getgid', 'getegid', 'getresuid', 'getresgid',
    'getgroups', 'uname', 'sysinfo', 'getrlimit', 'getrusage', 'times', 'getrandom', 'getcpu',
    # the end
    'exit', 'exit_group',
)

# Calls allowed only with the arguments given here (libseccomp ANDs the comparisons of one rule and ORs the rules).
# (O_TMPFILE includes O_DIRECTORY: only its own bit counts, or opening a directory to list it would be refused)
_WRITE_OPEN_FLAGS = tuple(bit for bit in (os.O_WRONLY, os.O_RDWR, os.O_CREAT, os.O_TRUNC, os.O_APPEND,
                                          getattr(os, 'O_TMPFILE', 0) & ~getattr(os, 'O_DIRECTORY', 0)) if bit)
_OPEN_WRITE_MASK = 0
for _bit in _WRITE_OPEN_FLAGS:
    _OPEN_WRITE_MASK |= _bit
_CONDITIONAL_SYSCALLS = {
    # threads are fine, new processes are not (glibc falls back from clone3 to clone on ENOSYS)
    'clone': 'CLONE_THREAD set',
    # opening files for reading only: no write, create, truncate or append flags
    'open': 'read-only flags', 'openat': 'read-only flags',
    # rlimits of its own may be read, never set
    'prlimit64': 'own, read only',
    # descriptor flags and duplication; no signals by proxy (F_SETOWN, F_SETSIG), no leases or locks
    'fcntl': 'F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD_CLOEXEC',
    # is it a terminal and how wide, how much is buffered, non-blocking, close-on-exec; never TIOCSTI (input injection)
    'ioctl': 'TCGETS, TIOCGWINSZ, FIONREAD, FIONBIO, FIOCLEX',
}
# Refused with an error rather than a kill: glibc and CPython probe these and take a safe path when they are missing
# (and open/openat with write flags get EPERM, see _build_seccomp_filter).
_ENOSYS_SYSCALLS = ('clone3', 'openat2')


class _SockFprog(ctypes.Structure):
    _fields_ = [('len', ctypes.c_ushort), ('filter', ctypes.c_void_p)]


_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_seccomp_program = None


def seccomp_filter():
    """Compiles the filter to BPF once per process, with libseccomp; children inherit the program and only load it
    (two prctl calls instead of a libseccomp load, which regenerates the program: about 3 ms)."""
    global _seccomp_program
    if _seccomp_program is None:
        bpf = _export(_build_seccomp_filter())
        if not bpf or len(bpf) % 8:
            raise RuntimeError('libseccomp produced an invalid program')
        buffer = ctypes.create_string_buffer(bpf, len(bpf))
        _seccomp_program = (buffer, _SockFprog(len(bpf) // 8, ctypes.cast(buffer, ctypes.c_void_p)))
    return _seccomp_program


def _export(f, pfc=False):
    read_fd, write_fd = os.pipe()
    try:
        with os.fdopen(write_fd, 'wb') as sink:
            (f.export_pfc if pfc else f.export_bpf)(sink)
        chunks = []
        while True:
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                return b''.join(chunks)
            chunks.append(chunk)
    finally:
        os.close(read_fd)


def _build_seccomp_filter():
    import seccomp
    # the native architecture only: a call through another ABI (i386's int 0x80, x32's syscall numbers with bit 30
    # set) is not matched by any rule and kills, as libseccomp's bad-architecture action is KILL
    f = seccomp.SyscallFilter(defaction=seccomp.KILL_PROCESS)
    for name in ALLOWED_SYSCALLS:
        _add(f, seccomp.ALLOW, name)
    for name in _ENOSYS_SYSCALLS:
        _add(f, seccomp.ERRNO(errno.ENOSYS), name)
    _add(f, seccomp.ALLOW, 'clone', seccomp.Arg(0, seccomp.MASKED_EQ, _CLONE_THREAD, _CLONE_THREAD))
    _add(f, seccomp.ALLOW, 'open', seccomp.Arg(1, seccomp.MASKED_EQ, _OPEN_WRITE_MASK, 0))
    _add(f, seccomp.ALLOW, 'openat', seccomp.Arg(2, seccomp.MASKED_EQ, _OPEN_WRITE_MASK, 0))
    # opening for writing is refused with an error, not a kill: CPython's bytecode cache and matplotlib's font cache
    # try it and carry on without (as they do under Landlock, which refuses it too)
    for bit in _WRITE_OPEN_FLAGS:
        _add(f, seccomp.ERRNO(errno.EPERM), 'open', seccomp.Arg(1, seccomp.MASKED_EQ, bit, bit))
        _add(f, seccomp.ERRNO(errno.EPERM), 'openat', seccomp.Arg(2, seccomp.MASKED_EQ, bit, bit))
    _add(f, seccomp.ALLOW, 'prlimit64', seccomp.Arg(0, seccomp.EQ, 0), seccomp.Arg(2, seccomp.EQ, 0))
    for cmd in (_F_DUPFD, _F_GETFD, _F_SETFD, _F_GETFL, _F_SETFL, _F_DUPFD_CLOEXEC):
        _add(f, seccomp.ALLOW, 'fcntl', seccomp.Arg(1, seccomp.EQ, cmd))
    for cmd in (_TCGETS, _TIOCGWINSZ, _FIONREAD, _FIONBIO, _FIOCLEX):
        _add(f, seccomp.ALLOW, 'ioctl', seccomp.Arg(1, seccomp.EQ, cmd))
    return f


def _add(f, action, name, *args):
    try:
        f.add_rule(action, name, *args)
    except (RuntimeError, ValueError):
        pass  # not a syscall on this architecture (e.g. open and stat on arm64)


def seccomp_rules():
    """The filter in libseccomp's pseudo-code (for tests and the security review)."""
    return _export(_build_seccomp_filter(), pfc=True).decode()


def install_seccomp():
    _, program = seccomp_filter()
    if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), 'prctl(PR_SET_NO_NEW_PRIVS) failed')
    if _libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), 'prctl(PR_SET_SECCOMP) failed')


# --------------------------------------------------------------------------------------------------------------------
# Layer: restricted builtins

DENIED_BUILTINS = frozenset({'open', 'eval', 'exec', 'compile', 'input', 'breakpoint', 'help', 'globals', 'locals',
                             'vars', 'exit', 'quit', 'copyright', 'credits', 'license', '__import__', '__loader__',
                             '__spec__'})


def restricted_builtins(policy, real_import=builtins.__import__):
    """The builtins analysis code sees: the usual ones minus DENIED_BUILTINS, and a guarded ``__import__``."""

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level != 0:
            raise ImportError('relative imports are not allowed in analysis code')
        if not isinstance(name, str):
            raise ImportError('module names must be strings')
        if not policy.allows(name):
            items = [item for item in (fromlist or ()) if isinstance(item, str)]
            if not items or '*' in items or not all(policy.allows(name + '.' + item) for item in items):
                raise ImportError('import of module %r is not allowed in analysis code' % name, name=name)
        return real_import(name, globals, locals, fromlist, 0)

    safe = {name: value for name, value in vars(builtins).items() if name not in DENIED_BUILTINS}
    safe['__import__'] = guarded_import
    return safe


# --------------------------------------------------------------------------------------------------------------------
# The child's own isolation (always applied; not a security layer of its own)

_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid):
    """SIGKILL this process when its parent (a single-threaded Python process) dies."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(70)


def isolate_descriptors(keep):
    """Points 0, 1 and 2 at /dev/null and closes every other descriptor except ``keep``."""
    null = os.open('/dev/null', os.O_RDWR)
    for fd in (0, 1, 2):
        if fd != null:
            os.dup2(null, fd)
    keep = sorted(set(keep) | {0, 1, 2})
    start = 3
    for fd in keep:
        if fd >= start:
            os.closerange(start, fd)
            start = fd + 1
    os.closerange(start, 65536)
