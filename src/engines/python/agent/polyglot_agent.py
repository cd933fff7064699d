"""Polyglot Debug's in-process Python agent (standard library only).

Breakpoints, steps and exception stops in any interpreter the debuggee embeds. Where the
interpreter has sys.monitoring (3.12+, PEP 669) the agent asks for events only where they matter
(polyglot_monitoring.py); on 3.11 it uses sys.settrace (polyglot_tracing.py). Both call this
module's Agent for the decisions: whether a line is a stop, what a stop shows.

A stop blocks the stopped thread in a command loop, reading the control connection itself (one
thread woken per command keeps steps fast on a busy machine), until the adapter resumes it. While
Python runs, a reader thread reads the connection and applies what comes (breakpoints, filters);
a host that keeps the GIL while in C starves that thread, so the running interpreter also reads
the connection where C enters Python. Reads and the application of what was read happen under
one lock.
A second connection, served by its own thread, answers questions about the main thread while it
is stopped elsewhere (in C, in JavaScript), when the GIL allows.

Messages are JSON lines: requests {"id", "command", "arguments"}, answers {"id", "ok", "body" |
"error"}, events {"event", "body"}. The adapter authenticates the connection by the token it put in
the environment; the socket lives in a private (0700) directory of the adapter's."""
import ctypes
import dis
import errno
import json
import os
import queue
import select
import socket
import sys
import sysconfig
import threading
import time
import traceback

import polyglot_frames

_AGENT_DIR = os.path.dirname(os.path.abspath(__file__))
_MAX_VALUE = 200
_DRAIN_INTERVAL = 0.005  # seconds between reads of the control connection by the running interpreter
# Exceptions that leave Python for C as part of a protocol C handles (iteration, generator close,
# exit): never "uncaught".
_PROTOCOL_EXCEPTIONS = (StopIteration, StopAsyncIteration, GeneratorExit, SystemExit, KeyboardInterrupt)


def _library_roots():
    paths = sysconfig.get_paths()
    roots = {paths.get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    roots.update(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
    return tuple(os.path.abspath(r) + os.sep for r in roots if r)


_LIBRARY_ROOTS = _library_roots()


def is_library(code):
    """The standard library and installed packages: steps and "raised" stops skip them, as
    debuggers' justMyCode does."""
    return os.path.abspath(code.co_filename).startswith(_LIBRARY_ROOTS)


def is_ours_or_internal(code):
    """The agent's own code, and code without a file (<frozen importlib…>): never stopped in."""
    name = code.co_filename
    return name.startswith("<") or os.path.dirname(os.path.abspath(name)) == _AGENT_DIR


def _gil_holding_recv():
    try:
        recv = ctypes.PyDLL(None, use_errno=True).recv
    except (OSError, AttributeError):  # no libc recv to be found: socket's, which lets the GIL go
        return None
    recv.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    recv.restype = ctypes.c_ssize_t
    return recv


_recv_holding_gil = _gil_holding_recv()


class Channel:
    """One JSON-lines connection to the adapter. Reads are non-blocking and under a lock, so the
    reader thread and the running interpreter can both take what has arrived."""

    def __init__(self, address, token, role, **hello):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(address)
        self.buffer = b""
        self.chunk = ctypes.create_string_buffer(65536)
        self.closed = False
        self.send_lock = threading.Lock()
        self.read_lock = threading.Lock()
        hello.update(token=token, role=role, pid=os.getpid(), version=list(sys.version_info[:3]))
        self.send({"event": "hello", "body": hello})

    def send(self, message):
        data = (json.dumps(message) + "\n").encode()
        with self.send_lock:
            self.sock.sendall(data)

    def _line(self):
        index = self.buffer.find(b"\n")
        if index < 0:
            return None
        line, self.buffer = self.buffer[:index], self.buffer[index + 1:]
        return json.loads(line)

    def take(self):
        """Every complete message that has arrived, without waiting (call with read_lock held)."""
        while True:
            chunk = self._read_arrived()
            if chunk is None:
                break
            if not chunk:
                self.closed = True
                break
            self.buffer += chunk
        messages = []
        while True:
            message = self._line()
            if message is None:
                return messages
            messages.append(message)

    def _read_arrived(self):
        """What has arrived (b"" once the adapter has gone, None when nothing has), read without
        giving the GIL away: a host thread that holds the GIL (in C, or in a short stretch of Python
        after C returns) takes it back whenever a read lets go of it, and every hand-over back to
        this thread then waits a whole switch interval (5 ms), long enough for that Python to run
        past a step queued for it. libc's recv through PyDLL keeps the GIL; socket's recv does not."""
        if _recv_holding_gil is None:
            try:
                return self.sock.recv(65536, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                return None
            except OSError:
                return b""
        read = _recv_holding_gil(self.sock.fileno(), self.chunk, len(self.chunk), socket.MSG_DONTWAIT)
        if read >= 0:
            return ctypes.string_at(self.chunk, read)
        return None if ctypes.get_errno() in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EINTR) else b""

    def receive(self):
        """The next message, waiting for it; None when the adapter has gone (with read_lock held,
        or before anyone else reads)."""
        while True:
            message = self._line()
            if message is not None:
                return message
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                self.closed = True
                return None
            self.buffer += chunk


def _describe(value):
    try:
        text = repr(value)
    except Exception as error:
        text = f"<repr failed: {error!r}>"
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def _children(value):
    if isinstance(value, dict):
        return [(_describe(k), v) for k, v in list(value.items())[:500]]
    if isinstance(value, (list, tuple)):
        return [(str(i), v) for i, v in enumerate(value[:500])]
    if isinstance(value, (set, frozenset)):
        return [(str(i), v) for i, v in enumerate(list(value)[:500])]
    attributes = getattr(value, "__dict__", None)
    if isinstance(attributes, dict):
        return sorted(attributes.items())[:500]
    return []


def _expandable(value):
    if isinstance(value, (str, bytes, int, float, bool, type(None), complex)):
        return False
    return bool(_children(value))


def _exception_text(exception):
    return "".join(traceback.format_exception_only(type(exception), exception)).strip()


_LEAVING = {dis.opmap[name] for name in ("RETURN_VALUE", "RETURN_CONST", "YIELD_VALUE") if name in dis.opmap}
_leaving_lines = {}  # code object -> the lines that return or yield


def may_leave(code, line):
    """Whether running `line` of `code` can return or yield (an exception aside): a step from it
    may end outside the frame, in C when C called it. Read from the bytecode, cached per code."""
    lines = _leaving_lines.get(code)
    if lines is None:
        raw = code.co_code
        lines = frozenset(line for start, end, line in code.co_lines() if any(raw[offset] in _LEAVING for offset in range(start, end, 2)))
        _leaving_lines[code] = lines
    return line in lines


def _ours(frame):
    return os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _AGENT_DIR


class Stop:
    """What the adapter can ask about while a thread is stopped: frames and values by handle.

    `raised`: for a stop on an exception leaving Python, the frames it has already unwound (the
    traceback's, innermost first, each with the line it raised or called from); they ran inside
    the evaluation of `frame`, which is where the exception now is."""

    def __init__(self, frame, raised=()):
        self.frames = []  # (frame, line or None, entry flag)
        for inner, line in raised:
            self.frames.append((inner, line, False))
        current = frame
        while current is not None:
            if not _ours(current):
                self.frames.append((current, None, polyglot_frames.entry_flag(current)))
            current = current.f_back
        # The agent's own C-level evaluations above the stopped frame (its trace or monitoring
        # callback), which the native stack shows too.
        self.agent_entries = 0
        current = sys._getframe(1)  # not this __init__: a class call is an entry of its own, gone by the time anyone looks
        while current is not None and current is not frame:
            if polyglot_frames.entry_flag(current):
                self.agent_entries += 1
            current = current.f_back
        self.handles = {}

    def frame(self, frame_id):
        return self.frames[frame_id or 0][0]

    def handle(self, value):
        number = len(self.handles) + 1
        self.handles[number] = value
        return number

    def variable(self, name, value):
        return {
            "name": name,
            "value": _describe(value),
            "type": type(value).__name__,
            "variablesReference": self.handle(value) if _expandable(value) else 0,
        }

    def stack(self):
        frames = [
            {
                "id": index,
                "name": f.f_code.co_name,
                "path": os.path.abspath(f.f_code.co_filename),
                "line": line or f.f_lineno,
                "entry": entry,
                "key": id(f),
            }
            for index, (f, line, entry) in enumerate(self.frames)
        ]
        if frames:
            top = self.frames[0][0]
            frames[0]["mayLeave"] = may_leave(top.f_code, top.f_lineno)
        return frames

    def scopes(self, frame_id):
        frame = self.frame(frame_id)
        scopes = [{"name": "Locals", "variablesReference": self.handle(("scope", frame.f_locals)), "presentationHint": "locals"}]
        if frame.f_globals is not frame.f_locals:
            scopes.append({"name": "Globals", "variablesReference": self.handle(("scope", frame.f_globals)), "expensive": True})
        return scopes

    def variables(self, reference):
        value = self.handles.get(reference)
        if isinstance(value, tuple) and len(value) == 2 and value[0] == "scope":
            items = [(k, v) for k, v in value[1].items() if not (k.startswith("__") and k.endswith("__"))]
            return [self.variable(k, v) for k, v in items]
        return [self.variable(k, v) for k, v in _children(value)]

    def evaluate(self, expression, frame_id):
        frame = self.frame(frame_id)
        try:
            value = eval(compile(expression, "<debug console>", "eval"), frame.f_globals, frame.f_locals)
        except SyntaxError:
            exec(compile(expression, "<debug console>", "exec"), frame.f_globals, frame.f_locals)
            value = None
        return self.variable(expression, value)

    def set_variable(self, frame_id, name, expression):
        frame = self.frame(frame_id)
        value = eval(compile(expression, "<debug console>", "eval"), frame.f_globals, frame.f_locals)
        frame.f_locals[name] = value  # 3.13+: f_locals writes through to the frame (PEP 667)
        if sys.version_info < (3, 13):
            # Up to 3.12 f_locals is a snapshot: write it back into the frame's fast locals.
            ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
        return self.variable(name, value)


class Step:
    """A pending step: `kind` in, over or out, from `frame`. It ends at a line of the user's code:
    any (in), in its frame or a caller (over), in a caller (out). Callers are remembered when the
    step starts, so a step that returns or unwinds out of its frame goes on in the caller.
    `frame` None: a step from outside Python (C), which ends at the first user line."""

    def __init__(self, kind, frame):
        self.kind, self.frame = kind, frame
        callers = []
        current = frame.f_back if frame is not None else None
        while current is not None:
            callers.append(current)
            current = current.f_back
        self.callers = callers

    def leaves_python(self, frame):
        """`frame` returns or unwinds: whether the step goes with it into C, where the agent cannot
        follow (the outermost Python frame of the step's chain; the adapter stops in C)."""
        if self.frame is None or frame.f_back is not None:
            return False
        return frame is self.frame or any(frame is caller for caller in self.callers)

    def ends_in(self, frame):
        if self.kind == "in" or self.frame is None:
            return True
        if self.kind == "over" and frame is self.frame:
            return True
        return any(frame is caller for caller in self.callers)


class Agent:
    def __init__(self, address, token):
        self.control = None  # connected once the hooks are chosen (the hello names them)
        self.address, self.token = address, token
        self.breakpoints = {}  # absolute path -> {line: {"id", "condition"}}
        self.entry_path = None  # stopOnEntry: the program's file, until its first line stops
        self.exception_modes = frozenset()  # of "raised", "uncaught", "userUncaught"
        self.step = None  # Step while one is pending
        self.paths = {}  # code object -> absolute path, None for ours and file-less code
        self.code_lines = {}  # code object -> breakpoint lines in it (None: none)
        self.user_code = {}  # code object -> whether steps and raised exceptions stop in it
        self.last_raised = None  # the exception a "raised" stop showed last (not again as it propagates)
        self.drained = 0.0
        self.stopped = None
        self.stop_lock = threading.RLock()  # one stopped thread at a time
        self.commands = queue.Queue()  # commands the reader read for the stopped thread
        self.running = threading.Event()  # clear while a thread is stopped: the reader waits
        self.running.set()
        self.main_thread = threading.get_ident()
        self.reader = None  # the reader thread's id
        self.own_threads = set()  # the reader's and the inspector's: they never drain
        self.hooks = None  # the backend: MonitoringHooks or TracingHooks
        self.inspector = None

    # ── commands that may come at any time ──

    def apply(self, message):
        command, arguments = message.get("command"), message.get("arguments") or {}
        if command == "setBreakpoints":
            path = os.path.abspath(arguments["path"])
            self.breakpoints[path] = {b["line"]: b for b in arguments["breakpoints"]}
            if not self.breakpoints[path]:
                del self.breakpoints[path]
            self.code_lines.clear()
            self.user_code.clear()
            self.hooks.breakpoints_changed()
            return {}
        if command == "setExceptionMode":
            modes = arguments.get("modes")
            if modes is None:  # an older adapter: one mode
                modes = [] if arguments.get("mode") in (None, "none") else [arguments["mode"]]
            self.exception_modes = frozenset(modes)
            self.hooks.exception_modes_changed()
            return {}
        if command == "stopOnEntry":
            # Every line of the program's own file is a breakpoint until the first one runs.
            self.entry_path = os.path.abspath(arguments["path"])
            self.code_lines.clear()
            self.user_code.clear()
            self.hooks.breakpoints_changed()
            return {}
        if command == "configured":
            return {}
        if command == "stepInNext":
            self.start_step(Step("in", None))
            return {}
        raise ValueError(f"unknown command {command!r} while running")

    def answer(self, message, work):
        try:
            body = work()
            self.control.send({"id": message.get("id"), "ok": True, "body": body})
        except Exception as error:
            self.control.send({"id": message.get("id"), "ok": False, "error": f"{type(error).__name__}: {error}"})

    def dispatch(self, messages):
        for message in messages:
            if self.stopped is not None:
                self.commands.put(message)
            else:
                self.answer(message, lambda: self.apply(message))
        if self.control.closed:
            self.adapter_gone()

    def drain(self):
        """Reads what the adapter sent, from the running interpreter (see the module's doc). Messages
        are read and applied under one lock: when the reader thread holds it, it is halfway through
        (a read gives the GIL away), and waiting for it lets it finish applying them first."""
        if self.control.closed or threading.get_ident() in self.own_threads or self.stopped is not None:
            return  # the agent's own threads (the reader holds the lock), or a stop's loop reads
        self.drained = time.monotonic()
        with self.control.read_lock:
            self.dispatch(self.control.take())

    def read_commands(self):
        """The reader thread."""
        self.reader = threading.get_ident()
        self.own_threads.add(self.reader)
        while not self.control.closed:
            self.running.wait()
            try:
                select.select([self.control.sock], [], [])
            except (OSError, ValueError):
                break
            if not self.running.is_set():
                continue  # a thread stopped meanwhile: its loop reads
            with self.control.read_lock:
                self.dispatch(self.control.take())

    def adapter_gone(self):
        """Run free: no more stops."""
        if self.stopped is not None:
            self.commands.put(None)
            return
        self.breakpoints.clear()
        self.exception_modes = frozenset()
        self.step = None
        if self.hooks is not None:
            self.hooks.stop_all()

    def configure(self):
        """The adapter's breakpoints and filters, before any user code runs."""
        while True:
            message = self.control.receive()
            if message is None:
                return
            self.answer(message, lambda: self.apply(message))
            if message.get("command") == "configured":
                return

    # ── what the hooks ask ──

    def path_of(self, code):
        """The absolute path of a code object's file, or None for ours and file-less code; cached,
        since the hooks ask on every call."""
        try:
            return self.paths[code]
        except KeyError:
            path = None if is_ours_or_internal(code) else os.path.abspath(code.co_filename)
            self.paths[code] = path
            return path

    def is_user_code(self, code):
        try:
            return self.user_code[code]
        except KeyError:
            user = self.path_of(code) is not None and (not is_library(code) or bool(self.breakpoint_lines(code)))
            self.user_code[code] = user
            return user

    def breakpoint_lines(self, code):
        """The breakpoint lines inside this code object (not in functions nested in it); cached
        per code object until breakpoints change. Only code with some gets line events."""
        try:
            return self.code_lines[code]
        except KeyError:
            path = self.path_of(code)
            lines = self.breakpoints.get(path) if path else None
            found = None
            if path is not None and path == self.entry_path:
                found = frozenset(line for _, _, line in code.co_lines() if line) or None
            elif lines:
                found = frozenset(line for _, _, line in code.co_lines() if line in lines) or None
            self.code_lines[code] = found
            return found

    def line_stop(self, frame, line, breakpoints=True):
        """Why the program stops at this line of this frame, or None."""
        if breakpoints and self.entry_path is not None and self.path_of(frame.f_code) == self.entry_path:
            self.entry_path = None
            self.code_lines.clear()
            self.user_code.clear()
            return {"reason": "entry"}
        lines = self.breakpoints.get(self.path_of(frame.f_code)) if breakpoints else None
        bp = lines.get(line) if lines else None
        if bp is not None:
            condition = bp.get("condition")
            if not condition:
                return {"reason": "breakpoint", "breakpointId": bp["id"]}
            try:
                if eval(condition, frame.f_globals, frame.f_locals):
                    return {"reason": "breakpoint", "breakpointId": bp["id"]}
            except Exception as error:
                return {"reason": "breakpoint", "breakpointId": bp["id"], "text": f"The condition failed: {error!r}"}
        step = self.step
        if step is not None and self.is_user_code(frame.f_code) and step.ends_in(frame):
            return {"reason": "step"}
        return None

    def start_step(self, step):
        self.step = step
        self.hooks.step_started(step)

    def end_step(self):
        if self.step is not None:
            self.step = None
            self.hooks.step_ended()

    def on_leave(self, frame):
        """A frame returns or unwinds while a step is pending."""
        step = self.step
        if step is not None and step.leaves_python(frame):
            self.end_step()

    def on_raise(self, frame, exception):
        """An exception raised in (or propagating into) `frame`: the "raised" filter."""
        if "raised" not in self.exception_modes or exception is self.last_raised or not self.is_user_code(frame.f_code):
            return
        if isinstance(exception, _PROTOCOL_EXCEPTIONS):
            return
        self.last_raised = exception
        self.stop(frame, {"reason": "exception", "text": _exception_text(exception)})

    def on_unwind(self, frame, exception, tb=None):
        """`frame` leaves because of `exception`: uncaught if C called it (leaving Python), user
        uncaught if library code called it. Stops on the line that raised, with the frames the
        exception came through (its traceback) shown above `frame`."""
        modes = self.exception_modes
        if not modes or isinstance(exception, _PROTOCOL_EXCEPTIONS) or not self.is_user_code(frame.f_code):
            return
        entry = polyglot_frames.entry_flag(frame)
        if entry is None:  # a layout the agent does not know: the outermost frame at least is C's
            entry = frame.f_back is None
        if "uncaught" in modes and entry:
            where = "leaving Python for the C code that called it"
        elif "userUncaught" in modes and not entry and self.is_user_code(frame.f_code) and frame.f_back is not None and not self.is_user_code(frame.f_back.f_code):
            where = "leaving the user's code for the library that called it"
        else:
            return
        if exception is self.last_raised and "raised" in modes:
            return  # already stopped where it was raised
        raised = self.traceback_frames(tb or exception.__traceback__, frame)
        self.stop(frame, {"reason": "exception", "text": f"Uncaught, {where}: {_exception_text(exception)}"}, raised)

    def traceback_frames(self, tb, frame):
        """The frames between `frame` and the raise, innermost first, with their lines; library
        frames above the innermost user frame are left out (the stop is in the user's code)."""
        frames = []
        while tb is not None:
            if tb.tb_frame is frame:
                frames.clear()
            elif not _ours(tb.tb_frame):
                frames.append((tb.tb_frame, tb.tb_lineno))
            tb = tb.tb_next
        frames.reverse()
        while frames and not self.is_user_code(frames[0][0].f_code):
            frames.pop(0)
        return frames

    # ── a stop ──

    def stop(self, frame, why, raised=()):
        with self.stop_lock:
            self.end_step()
            self.stopped = Stop(frame, raised)
            self.running.clear()
            self.control.send({"event": "stopped", "body": dict(why, threadId=threading.get_ident())})
            try:
                while True:
                    message = self.next_command()
                    if message is None:  # the adapter went away: run free
                        self.stopped = None
                        self.adapter_gone()
                        return
                    command = message.get("command")
                    if command in ("continue", "next", "stepIn", "stepOut"):
                        self.answer(message, lambda: {})
                        self.stopped = None
                        self.resume(command, frame)
                        return
                    self.answer(message, lambda: self.while_stopped(message))
            finally:
                self.running.set()

    def next_command(self):
        """The next command for the stopped thread: one the reader read just before the stop, or
        one read here, waiting for it."""
        with self.control.read_lock:
            try:
                return self.commands.get_nowait()
            except queue.Empty:
                return self.control.receive()

    def resume(self, command, frame):
        kind = {"next": "over", "stepIn": "in", "stepOut": "out"}.get(command)
        if kind is not None:
            self.start_step(Step(kind, frame))

    def while_stopped(self, message):
        command, arguments = message.get("command"), message.get("arguments") or {}
        stopped = self.stopped
        if command == "stackTrace":
            return {"frames": stopped.stack(), "agentEntries": stopped.agent_entries, "layout": self.layout()}
        if command == "scopes":
            return {"scopes": stopped.scopes(arguments["frameId"])}
        if command == "variables":
            return {"variables": stopped.variables(arguments["variablesReference"])}
        if command == "evaluate":
            return stopped.evaluate(arguments["expression"], arguments.get("frameId"))
        if command == "setVariable":
            return stopped.set_variable(arguments.get("frameId"), arguments["name"], arguments["value"])
        return self.apply(message)

    def layout(self):
        return {"version": polyglot_frames.version_text(), "recognised": self.layout_recognised, "events": self.hooks.name}


class Inspector(threading.Thread):
    """Answers about the main thread's Python frames while it is stopped outside Python."""

    def __init__(self, agent):
        super().__init__(name="polyglot-inspector", daemon=True)
        self.agent = agent
        self.channel = Channel(agent.address, agent.token, "inspect")

    def run(self):
        self.agent.own_threads.add(threading.get_ident())
        while True:
            message = self.channel.receive()
            if message is None:
                return
            try:
                frame = sys._current_frames().get(self.agent.main_thread)
                if message.get("command") == "pendingStepIn":
                    # The main thread is in C below Python frames: stop at the next line they run,
                    # which may be the rest of the line that called C.
                    self.agent.start_step(Step("in", None))
                    if frame is not None:
                        self.agent.hooks.stop_mid_line(frame)
                    body = {}
                else:
                    stop = Stop(frame) if frame is not None else None
                    body = {"frames": stop.stack() if stop else [], "variables": self.locals(stop), "layout": self.agent.layout()}
                self.channel.send({"id": message.get("id"), "ok": True, "body": body})
            except Exception as error:
                self.channel.send({"id": message.get("id"), "ok": False, "error": repr(error)})

    @staticmethod
    def locals(stop):
        if not stop:
            return []
        return [[stop.variable(k, v) for k, v in f.f_locals.items() if not k.startswith("__")] for f, _, _ in stop.frames]


def _hooks(agent):
    """sys.monitoring where it exists and a tool id is free; sys.settrace otherwise."""
    if hasattr(sys, "monitoring") and os.environ.get("POLYGLOT_PYTHON_EVENTS") != "settrace":
        import polyglot_monitoring

        hooks = polyglot_monitoring.MonitoringHooks.create(agent)
        if hooks is not None:
            return hooks
    import polyglot_tracing

    return polyglot_tracing.TracingHooks(agent)


def start(address, token):
    agent = Agent(address, token)
    agent.layout_recognised = polyglot_frames.layout_recognised()
    agent.hooks = _hooks(agent)
    agent.control = Channel(address, token, "control", events=agent.hooks.name)
    agent.configure()
    agent.inspector = Inspector(agent)
    agent.inspector.start()
    threading.Thread(target=agent.read_commands, name="polyglot-commands", daemon=True).start()
    agent.hooks.install()
    return agent
