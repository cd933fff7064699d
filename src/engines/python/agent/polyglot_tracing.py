"""The agent's hooks on interpreters without sys.monitoring (3.11): sys.settrace.

The global trace function sees every call; it traces lines only in code objects with breakpoints,
in the user's code while a step is pending, and only exceptions in the outermost frames (those C
called) for the "uncaught" filter. Every call still costs a Python-level trace call: that is the
price of 3.11, which the monitoring hooks (3.12+) do not pay."""
import dis
import sys
import threading
import time

import polyglot_frames

_RETURNS = {dis.opmap[name] for name in ("RETURN_VALUE", "RETURN_CONST") if name in dis.opmap}
_DRAIN_INTERVAL = 0.005


def _unwinding(frame):
    """At a return event: whether the frame leaves because of an exception (its last instruction
    is not a return), which 3.11's settrace does not say otherwise."""
    try:
        return frame.f_code.co_code[frame.f_lasti] not in _RETURNS
    except Exception:
        return True


class TracingHooks:
    name = "settrace"

    def __init__(self, agent):
        self.agent = agent
        self.off = False
        # frame -> the exception passing through it and its traceback (3.11 keeps the traceback
        # apart from the exception until it is caught), until the frame returns
        self.unhandled = {}
        self.entries = {}  # code object -> whether C entered it (see entered_from_c)

    def install(self):
        sys.settrace(self.global_trace)
        threading.settrace(self.global_trace)

    def stop_all(self):
        self.off = True  # sys.settrace(None) would only reach the calling thread

    def breakpoints_changed(self):
        pass  # the agent's caches are cleared; new calls see the new breakpoints

    def exception_modes_changed(self):
        pass

    def step_started(self, step):
        # Frames entered before the step have no line tracing of their own yet.
        self.trace_chain(step.frame)

    def step_ended(self):
        pass

    def stop_mid_line(self, frame):
        """Back from C mid-line (an assignment of the call's result), no line event comes until the
        next line: the first opcode run says where it is."""
        self.trace_chain(frame)
        frame.f_trace_opcodes = True

    def trace_chain(self, frame):
        while frame is not None:
            frame.f_trace = self.local_trace
            frame.f_trace_lines = True
            frame = frame.f_back

    def global_trace(self, frame, event, arg):
        if self.off:
            return None
        agent = self.agent
        # Messages are read at most every few ms here: a step queued while the program was stopped
        # in C (holding the GIL) is read at the first call after it resumes.
        if time.monotonic() - agent.drained > _DRAIN_INTERVAL:
            agent.drain()
        code = frame.f_code
        if agent.step is not None or "raised" in agent.exception_modes:
            # Steps and raised exceptions stop in the user's code, not in the standard library's.
            return self.local_trace if agent.is_user_code(code) else None
        if agent.breakpoint_lines(code):
            return self.local_trace
        if agent.exception_modes and self.entered_from_c(frame):
            # A way in from C: only whether an exception leaves it, no line events.
            frame.f_trace_lines = False
            return self.exception_trace
        return None

    def entered_from_c(self, frame):
        """Whether C entered this user code (the host, a callback) when it was first called: read
        once per code object, since reading the frame layout costs more than a call."""
        code = frame.f_code
        entry = self.entries.get(code)
        if entry is None:
            entry = self.agent.is_user_code(code) and (frame.f_back is None or bool(polyglot_frames.entry_flag(frame)))
            self.entries[code] = entry
        return entry

    def exception_trace(self, frame, event, arg):
        if event == "exception":
            self.unhandled[frame] = arg
        elif event == "return" and self.unhandled:
            pending = self.unhandled.pop(frame, None)
            if pending is not None and _unwinding(frame):
                self.agent.on_unwind(frame, pending[1], pending[2])
        return self.exception_trace

    def local_trace(self, frame, event, arg):
        if self.off:
            return None
        agent = self.agent
        if event == "line":
            reason = agent.line_stop(frame, frame.f_lineno)
            if reason:
                agent.stop(frame, reason)
        elif event == "opcode":
            # Mid-line: the step ends here; the line's breakpoint was hit when the line began.
            frame.f_trace_opcodes = False
            reason = agent.line_stop(frame, frame.f_lineno, breakpoints=False)
            if reason:
                agent.stop(frame, reason)
        elif event == "exception":
            self.unhandled[frame] = arg
            agent.on_raise(frame, arg[1])
        elif event == "return":
            if self.unhandled:
                self.exception_trace(frame, event, arg)
            agent.on_leave(frame)
        return self.local_trace
