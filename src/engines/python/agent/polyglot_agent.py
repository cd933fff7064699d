"""Polyglot Debug's in-process Python agent (standard library only).

Breakpoints and steps with sys.settrace: the global trace function looks at each call and traces
lines only in code objects of files with breakpoints, or while a step is pending, so unrelated code
runs untraced. A stop blocks the stopped thread in a command loop on the control connection until
the adapter resumes it. A second connection, served by its own thread, answers questions about the
main thread while it is stopped elsewhere (in C, in JavaScript), when the GIL allows.

Messages are JSON lines: requests {"id", "command", "arguments"}, answers {"id", "ok", "body" |
"error"}, events {"event", "body"}. The adapter authenticates the connection by the token it put in
the environment; the socket lives in a private (0700) directory of the adapter's."""
import ctypes
import dis
import json
import os
import socket
import sys
import sysconfig
import threading
import time
import traceback

_AGENT_FILE = os.path.abspath(__file__)
_AGENT_DIR = os.path.dirname(_AGENT_FILE)


def _library_roots():
    paths = sysconfig.get_paths()
    roots = {paths.get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    roots.update(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
    return tuple(os.path.abspath(r) + os.sep for r in roots if r)


_LIBRARY_ROOTS = _library_roots()


def _is_library(code):
    """The standard library and installed packages: exceptions they raise and handle themselves
    are their business ("raised" stops in the user's code only, as debuggers' justMyCode does)."""
    return os.path.abspath(code.co_filename).startswith(_LIBRARY_ROOTS)


def _is_ours_or_internal(code):
    """The agent's own code, and code without a file (<frozen importlib…>): never stopped in."""
    name = code.co_filename
    return name.startswith("<") or os.path.dirname(os.path.abspath(name)) == _AGENT_DIR
_MAX_VALUE = 200
_DRAIN_INTERVAL = 0.005  # seconds between reads of the control connection while Python runs


class Channel:
    """One JSON-lines connection to the adapter."""

    def __init__(self, address, token, role):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(address)
        self.buffer = b""
        self.lock = threading.Lock()
        self.send({"event": "hello", "body": {"token": token, "role": role, "pid": os.getpid(), "version": list(sys.version_info[:3])}})

    def send(self, message):
        data = (json.dumps(message) + "\n").encode()
        with self.lock:
            self.sock.sendall(data)

    def _line(self):
        index = self.buffer.find(b"\n")
        if index < 0:
            return None
        line, self.buffer = self.buffer[:index], self.buffer[index + 1:]
        return json.loads(line)

    def receive(self):
        """The next message, waiting for it; None when the adapter has gone."""
        while True:
            message = self._line()
            if message is not None:
                return message
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk

    def poll(self):
        """The next message if one has arrived, without waiting."""
        message = self._line()
        if message is not None:
            return message
        try:
            chunk = self.sock.recv(65536, socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return None
        if not chunk:
            return None
        self.buffer += chunk
        return self._line()


# ── frames entered from C ─────────────────────────────────────────────────────────────────────
# CPython 3.11 runs Python-to-Python calls in the same C frame; a frame "entered from C" (by
# PyObject_Call, a ctypes callback, the embedding host) starts a new C-level evaluation. The stack
# stitcher needs to know which frames those are, and 3.11 keeps it in _PyInterpreterFrame.is_entry.
# Read it through the frame object's f_frame pointer, after checking the layout against a field we
# can verify (f_code), so an unknown layout gives "unknown" instead of garbage.

_LAYOUT_311 = {"f_frame": 24, "f_code": 32, "is_entry": 68}


def _entry_flag(frame):
    if sys.version_info[:2] != (3, 11):
        return None
    try:
        interpreter_frame = ctypes.c_void_p.from_address(id(frame) + _LAYOUT_311["f_frame"]).value
        if not interpreter_frame:
            return None
        code = ctypes.c_void_p.from_address(interpreter_frame + _LAYOUT_311["f_code"]).value
        if code != id(frame.f_code):
            return None
        return bool(ctypes.c_bool.from_address(interpreter_frame + _LAYOUT_311["is_entry"]).value)
    except Exception:
        return None


_RETURNS = {dis.opmap[name] for name in ("RETURN_VALUE", "RETURN_CONST") if name in dis.opmap}


def _unwinding(frame):
    """At a return event: whether the frame leaves because of an exception (its last instruction
    is not a return), which 3.11's settrace does not say otherwise."""
    try:
        return frame.f_code.co_code[frame.f_lasti] not in _RETURNS
    except Exception:
        return True


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


class Stop:
    """What the adapter can ask about while a thread is stopped: frames and values by handle."""

    def __init__(self, frame):
        self.frames = []
        current = frame
        while current is not None:
            if os.path.abspath(current.f_code.co_filename) != _AGENT_FILE:
                self.frames.append(current)
            current = current.f_back
        # The agent's own C-level evaluations above the stopped frame (its trace function), which
        # the native stack shows too.
        self.agent_entries = 0
        current = sys._getframe(1)  # not this __init__: a class call is an entry of its own, gone by the time anyone looks
        while current is not None and current is not frame:
            if _entry_flag(current):
                self.agent_entries += 1
            current = current.f_back
        self.handles = {}

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
        return [
            {
                "id": index,
                "name": f.f_code.co_name,
                "path": os.path.abspath(f.f_code.co_filename),
                "line": f.f_lineno,
                "entry": _entry_flag(f),
                "key": id(f),
            }
            for index, f in enumerate(self.frames)
        ]

    def scopes(self, frame_id):
        frame = self.frames[frame_id]
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
        frame = self.frames[frame_id or 0]
        try:
            value = eval(compile(expression, "<debug console>", "eval"), frame.f_globals, frame.f_locals)
        except SyntaxError:
            exec(compile(expression, "<debug console>", "exec"), frame.f_globals, frame.f_locals)
            value = None
        return self.variable(expression, value)

    def set_variable(self, frame_id, name, expression):
        frame = self.frames[frame_id or 0]
        value = eval(compile(expression, "<debug console>", "eval"), frame.f_globals, frame.f_locals)
        frame.f_locals[name] = value
        # Write the frame's fast locals back (CPython ≤ 3.12 keeps a snapshot in f_locals).
        ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
        return self.variable(name, value)


class Agent:
    def __init__(self, address, token):
        self.control = Channel(address, token, "control")
        self.breakpoints = {}  # absolute path -> {line: {"id", "condition"}}
        self.exception_mode = "none"  # none | uncaught | raised
        self.step = None  # (kind, frame) while a step is pending
        self.unhandled = {}  # frame -> the exception passing through it, until it returns
        self.paths = {}  # code object -> absolute path, None for code never stopped in
        self.code_lines = {}  # code object -> breakpoint lines in it (None: none)
        self.user_code = {}  # code object -> whether steps and raised exceptions stop in it
        self.drained = 0.0
        self.stopped = None
        self.main_thread = threading.get_ident()
        self.inspector = None
        self.address, self.token = address, token

    # ── commands that may come at any time ──

    def apply(self, message):
        command, arguments = message.get("command"), message.get("arguments") or {}
        if command == "setBreakpoints":
            self.code_lines.clear()
            self.user_code.clear()
            path = os.path.abspath(arguments["path"])
            self.breakpoints[path] = {b["line"]: b for b in arguments["breakpoints"]}
            if not self.breakpoints[path]:
                del self.breakpoints[path]
            return {}
        if command == "setExceptionMode":
            self.exception_mode = arguments["mode"]
            return {}
        if command == "configured":
            return {}
        if command == "stepInNext":
            self.step = ("in", None)
            return {}
        raise ValueError(f"unknown command {command!r} while running")

    def answer(self, message, work):
        try:
            body = work()
            self.control.send({"id": message.get("id"), "ok": True, "body": body})
        except Exception as error:
            self.control.send({"id": message.get("id"), "ok": False, "error": f"{type(error).__name__}: {error}"})

    def drain(self):
        self.drained = time.monotonic()
        while True:
            message = self.control.poll()
            if message is None:
                return
            self.answer(message, lambda: self.apply(message))

    def configure(self):
        """The adapter's breakpoints and filters, before any user code runs."""
        while True:
            message = self.control.receive()
            if message is None:
                return
            self.answer(message, lambda: self.apply(message))
            if message.get("command") == "configured":
                return

    # ── tracing ──

    def path_of(self, code):
        """The absolute path of a code object's file, or None for ours and file-less code; cached,
        since the trace functions ask on every call."""
        try:
            return self.paths[code]
        except KeyError:
            path = None if _is_ours_or_internal(code) else os.path.abspath(code.co_filename)
            self.paths[code] = path
            return path

    def is_user_code(self, code):
        try:
            return self.user_code[code]
        except KeyError:
            user = self.path_of(code) is not None and (not _is_library(code) or bool(self.breakpoint_lines(code)))
            self.user_code[code] = user
            return user

    def breakpoint_lines(self, code):
        """The breakpoint lines inside this code object (not in functions nested in it); cached
        per code object until breakpoints change. Only code with some is traced line by line."""
        try:
            return self.code_lines[code]
        except KeyError:
            path = self.path_of(code)
            lines = self.breakpoints.get(path) if path else None
            found = None
            if lines:
                found = frozenset(line for _, _, line in code.co_lines() if line in lines) or None
            self.code_lines[code] = found
            return found

    def global_trace(self, frame, event, arg):
        # Messages are read at most every few ms while Python runs: a message sent while the
        # program was stopped (a step queued from C) is read at the first call after it resumes.
        if time.monotonic() - self.drained > _DRAIN_INTERVAL:
            self.drain()
        if self.step is not None or self.exception_mode == "raised":
            # Steps and raised exceptions stop in the user's code, not in the standard library's.
            return self.local_trace if self.is_user_code(frame.f_code) else None
        if self.breakpoint_lines(frame.f_code):
            return self.local_trace
        if self.exception_mode == "uncaught" and frame.f_back is None and self.path_of(frame.f_code):
            # The way in from the host: only whether an exception leaves it, no line events.
            frame.f_trace_lines = False
            return self.exception_trace
        return None

    def exception_trace(self, frame, event, arg):
        """Uncaught exceptions only: one leaving a frame that C called is leaving Python."""
        if event == "exception":
            self.unhandled[frame] = arg
        elif event == "return" and self.unhandled:
            pending = self.unhandled.pop(frame, None)
            if pending is not None and _unwinding(frame) and _entry_flag(frame):
                exc_type, exc_value, _ = pending
                text = "".join(traceback.format_exception_only(exc_type, exc_value)).strip()
                self.stop(frame, {"reason": "exception", "text": f"Uncaught, leaving Python for C: {text}"})
        return self.exception_trace

    def local_trace(self, frame, event, arg):
        if event == "opcode":  # only asked for by a step coming back from C (see Inspector)
            # Mid-line: the step ends here; the line's breakpoint was hit when the line began.
            frame.f_trace_opcodes = False
            reason = self.line_stop(frame, breakpoints=False)
            if reason:
                self.stop(frame, reason)
            return self.local_trace
        if event == "line":
            reason = self.line_stop(frame)
            if reason:
                self.stop(frame, reason)
        elif event == "exception":
            self.exception_event(frame, arg)
        elif event == "return" and frame in self.unhandled:
            self.exception_trace(frame, event, arg)
        if event == "return" and self.step is not None:
            kind, target = self.step
            if frame is target and frame.f_back is not None:
                # Returning: the step goes on in the caller, which may not be traced yet.
                self.step = (kind if kind != "out" else "over", frame.f_back)
                frame.f_back.f_trace = self.local_trace
                frame.f_back.f_trace_lines = True
        return self.local_trace

    def line_stop(self, frame, breakpoints=True):
        lines = self.breakpoints.get(self.path_of(frame.f_code)) if breakpoints else None
        bp = lines.get(frame.f_lineno) if lines else None
        if bp is not None:
            condition = bp.get("condition")
            if not condition:
                return {"reason": "breakpoint", "breakpointId": bp["id"]}
            try:
                if eval(condition, frame.f_globals, frame.f_locals):
                    return {"reason": "breakpoint", "breakpointId": bp["id"]}
            except Exception as error:
                return {"reason": "breakpoint", "breakpointId": bp["id"], "text": f"The condition failed: {error!r}"}
        if self.step is not None:
            kind, target = self.step
            # "out" never stops in its own frame: at its return it becomes "over" in the caller.
            if kind == "in" or (kind == "over" and frame is target):
                return {"reason": "step"}
        return None

    def exception_event(self, frame, arg):
        exc_type, exc_value, _ = arg
        if self.exception_mode == "raised" and not _is_library(frame.f_code):
            text = "".join(traceback.format_exception_only(exc_type, exc_value)).strip()
            self.stop(frame, {"reason": "exception", "text": text})
        elif self.exception_mode == "uncaught":
            # Uncaught when a frame C called returns with it (see exception_trace).
            self.unhandled[frame] = arg

    def stop(self, frame, why):
        self.step = None
        self.stopped = Stop(frame)
        self.control.send({"event": "stopped", "body": dict(why, threadId=threading.get_ident())})
        while True:
            message = self.control.receive()
            if message is None:  # the adapter went away: run free
                self.breakpoints.clear()
                self.stopped = None
                sys.settrace(None)
                return
            command = message.get("command")
            if command in ("continue", "next", "stepIn", "stepOut"):
                self.answer(message, lambda: {})
                self.resume(command, frame)
                return
            self.answer(message, lambda: self.while_stopped(message))

    def resume(self, command, frame):
        self.stopped = None
        if command == "next":
            self.step = ("over", frame)
        elif command == "stepIn":
            self.step = ("in", frame)
        elif command == "stepOut":
            self.step = ("out", frame)
        if self.step is not None:
            # Frames entered before the step have no line tracing of their own yet.
            current = frame
            while current is not None:
                current.f_trace = self.local_trace
                current.f_trace_lines = True
                current = current.f_back

    def while_stopped(self, message):
        command, arguments = message.get("command"), message.get("arguments") or {}
        stopped = self.stopped
        if command == "stackTrace":
            return {"frames": stopped.stack(), "agentEntries": stopped.agent_entries}
        if command == "scopes":
            return {"scopes": stopped.scopes(arguments["frameId"])}
        if command == "variables":
            return {"variables": stopped.variables(arguments["variablesReference"])}
        if command == "evaluate":
            return stopped.evaluate(arguments["expression"], arguments.get("frameId"))
        if command == "setVariable":
            return stopped.set_variable(arguments.get("frameId"), arguments["name"], arguments["value"])
        return self.apply(message)


class Inspector(threading.Thread):
    """Answers about the main thread's Python frames while it is stopped outside Python."""

    def __init__(self, agent):
        super().__init__(name="polyglot-inspector", daemon=True)
        self.agent = agent
        self.channel = Channel(agent.address, agent.token, "inspect")

    def run(self):
        while True:
            message = self.channel.receive()
            if message is None:
                return
            try:
                frame = sys._current_frames().get(self.agent.main_thread)
                stop = Stop(frame) if frame is not None else None
                if message.get("command") == "pendingStepIn":
                    # The main thread is in C below Python frames that may not be traced: trace them.
                    self.agent.step = ("in", None)
                    current = frame
                    while current is not None:
                        current.f_trace = self.agent.local_trace
                        current.f_trace_lines = True
                        current = current.f_back
                    if frame is not None:
                        # Back from C mid-line (an assignment of the call's result), no line event
                        # comes until the next line: the first opcode run says where it is.
                        frame.f_trace_opcodes = True
                    body = {}
                else:
                    body = {"frames": stop.stack() if stop else [], "variables": self.locals(stop)}
                self.channel.send({"id": message.get("id"), "ok": True, "body": body})
            except Exception as error:
                self.channel.send({"id": message.get("id"), "ok": False, "error": repr(error)})

    @staticmethod
    def locals(stop):
        if not stop:
            return []
        return [[stop.variable(k, v) for k, v in f.f_locals.items() if not k.startswith("__")] for f in stop.frames]


def start(address, token):
    agent = Agent(address, token)
    agent.configure()
    agent.inspector = Inspector(agent)
    agent.inspector.start()
    sys.settrace(agent.global_trace)
    threading.settrace(agent.global_trace)
    return agent
