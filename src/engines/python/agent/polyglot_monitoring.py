"""The agent's hooks on interpreters with sys.monitoring (3.12+, PEP 669).

Events only where they matter, so code without a breakpoint runs at full speed:
  PY_START     global, to meet each code object once: one with breakpoints gets LINE events of its
               own (set_local_events); the others answer DISABLE and are not seen again. Code that
               C entered keeps it, cheaply, to read the adapter's messages where C enters Python
               (a host that keeps the GIL starves the agent's reader thread).
  LINE         per code object with breakpoints, and lines without one answer DISABLE; global
               only while a step is pending.
  INSTRUCTION  on one code object, once: a step back from C that ends mid-line.
  PY_RETURN    global only while stepping: a step whose frames all return into C ends (the
               adapter follows it there), instead of waiting with LINE events on everywhere.
  PY_UNWIND    global while an "uncaught" filter is on (a frame leaving on an exception) or stepping.
  RAISE        global while the "raised" filter is on.
A step or a change of breakpoints calls restart_events(), which gives back every location that
answered DISABLE (for every tool: sys.monitoring has no per-tool restart)."""
import sys
import time

import polyglot_frames

_MONITORING = sys.monitoring
_EVENTS = _MONITORING.events
_DISABLE = _MONITORING.DISABLE
# Tool ids without a conventional owner (0 debugger, 1 coverage, 2 profiler, 5 optimizer), so
# that debugpy, pdb or coverage.py can run beside the agent.
_TOOL_IDS = (4, 3)
_DRAIN_INTERVAL = 0.005


class MonitoringHooks:
    name = "sys.monitoring"

    @classmethod
    def create(cls, agent):
        for tool in _TOOL_IDS:
            if _MONITORING.get_tool(tool) is None:
                _MONITORING.use_tool_id(tool, "Polyglot Debug")
                return cls(agent, tool)
        return None  # every free id is taken: the caller falls back to sys.settrace

    def __init__(self, agent, tool):
        self.agent = agent
        self.tool = tool
        self.off = False
        self.instrumented = set()  # code objects with LINE events for their breakpoints
        self.entries = set()  # the user's code objects C entered
        self.watched = None  # the frame whose next instruction ends a step back from C
        self.unwind_full = None  # whether PY_UNWIND has the full callback (see update_events)
        for event, callback in (
            (_EVENTS.PY_START, self.fast_on_start()),
            (_EVENTS.LINE, self.on_line),
            (_EVENTS.INSTRUCTION, self.on_instruction),
            (_EVENTS.RAISE, self.on_raise),
            (_EVENTS.PY_RETURN, self.on_return),
        ):
            _MONITORING.register_callback(tool, event, callback)

    # ── what the agent changes ──

    def install(self):
        self.update_events()

    def update_events(self):
        if self.off:
            return
        agent = self.agent
        events = _EVENTS.PY_START
        if agent.step is not None:
            events |= _EVENTS.LINE | _EVENTS.PY_RETURN | _EVENTS.PY_UNWIND
        if agent.exception_modes & {"uncaught", "userUncaught"}:
            events |= _EVENTS.PY_UNWIND
        if "raised" in agent.exception_modes:
            events |= _EVENTS.RAISE
        # Library code raises and catches all the time (a missing key in os.environ.get unwinds
        # a frame): unless stepping or watching the user's code for every library caller, only
        # the user's code that C entered is of interest, and a set lookup turns the rest away.
        full = agent.step is not None or "userUncaught" in agent.exception_modes
        if full != self.unwind_full:
            _MONITORING.register_callback(self.tool, _EVENTS.PY_UNWIND, self.on_unwind if full else self.fast_on_unwind())
            self.unwind_full = full
        _MONITORING.set_events(self.tool, events)

    def stop_all(self):
        """The adapter has gone (a detach, say): no more events, and the tool id free again for
        whoever comes next (another attach starts a new agent)."""
        if self.off:
            return
        self.off = True
        _MONITORING.set_events(self.tool, 0)
        for code in list(self.instrumented):
            _MONITORING.set_local_events(self.tool, code, 0)
        self.instrumented.clear()
        for event in (_EVENTS.PY_START, _EVENTS.LINE, _EVENTS.INSTRUCTION, _EVENTS.RAISE, _EVENTS.PY_RETURN, _EVENTS.PY_UNWIND):
            _MONITORING.register_callback(self.tool, event, None)
        _MONITORING.free_tool_id(self.tool)

    def breakpoints_changed(self):
        if self.off:
            return
        for code in list(self.instrumented):
            _MONITORING.set_local_events(self.tool, code, 0)
        self.instrumented.clear()
        self.entries.clear()  # met again by on_start, which looks for their breakpoints
        # Code already running (below a C call, say) gets its new breakpoints at once.
        for frame in list(sys._current_frames().values()):
            while frame is not None:
                if self.agent.breakpoint_lines(frame.f_code):
                    self.instrument(frame.f_code)
                frame = frame.f_back
        _MONITORING.restart_events()

    def exception_modes_changed(self):
        self.update_events()

    def step_started(self, step):
        if self.off:
            return
        _MONITORING.restart_events()  # lines that answered DISABLE may be where the step ends
        self.update_events()

    def step_ended(self):
        self.update_events()

    def stop_mid_line(self, frame):
        """The main thread is in C called from `frame`'s line: the step ends at the first
        instruction `frame` runs when C returns (no LINE event comes before the next line)."""
        self.watched = frame
        _MONITORING.set_local_events(self.tool, frame.f_code, self.local_events(frame.f_code) | _EVENTS.INSTRUCTION)

    def instrument(self, code):
        self.instrumented.add(code)
        _MONITORING.set_local_events(self.tool, code, _EVENTS.LINE)

    def local_events(self, code):
        return _EVENTS.LINE if code in self.instrumented else 0

    # ── callbacks ──

    def fast_on_start(self):
        """PY_START: the user's code that C entered keeps it, and comes here on every call."""
        entries, agent, monotonic, on_start = self.entries, self.agent, time.monotonic, self.on_start

        def on_entry_start(code, offset):
            if code in entries:
                if monotonic() - agent.drained > _DRAIN_INTERVAL:
                    agent.drain()
                return None
            return on_start(code, sys._getframe(1))

        return on_entry_start

    def fast_on_unwind(self):
        entries, on_unwind = self.entries, self.on_unwind

        def on_entry_unwind(code, offset, exception):
            if code in entries:
                on_unwind(code, offset, exception, sys._getframe(1))

        return on_entry_unwind

    def on_start(self, code, frame):
        agent = self.agent
        if time.monotonic() - agent.drained > _DRAIN_INTERVAL:
            agent.drain()
        if code not in self.instrumented and agent.breakpoint_lines(code):
            self.instrument(code)
        if code in self.entries:
            return None
        if agent.is_user_code(code) and polyglot_frames.entry_flag(frame):
            self.entries.add(code)
            return None
        return _DISABLE

    def on_line(self, code, line):
        agent = self.agent
        frame = sys._getframe(1)
        reason = agent.line_stop(frame, line)
        if reason:
            agent.stop(frame, reason)
            return None
        if agent.step is None:
            lines = agent.breakpoint_lines(code)
            return None if lines and line in lines else _DISABLE
        return None if agent.is_user_code(code) else _DISABLE

    def on_instruction(self, code, offset):
        frame = sys._getframe(1)
        watched = self.watched
        if watched is None:
            return _DISABLE
        if frame is not watched:
            return None
        self.watched = None
        _MONITORING.set_local_events(self.tool, code, self.local_events(code))
        reason = self.agent.line_stop(frame, frame.f_lineno, breakpoints=False)
        if reason:
            self.agent.stop(frame, reason)
        return None

    def on_raise(self, code, offset, exception):
        self.agent.on_raise(sys._getframe(1), exception)

    def on_unwind(self, code, offset, exception, frame=None):
        frame = frame or sys._getframe(1)
        self.agent.on_unwind(frame, exception)
        self.agent.on_leave(frame)

    def on_return(self, code, offset, value):
        frame = sys._getframe(1)
        step = self.agent.step
        if step is not None and frame is step.frame and frame.f_back is not None and self.agent.is_user_code(frame.f_back.f_code):
            # Back in the caller mid-line (the call's result still to be used): no LINE event comes
            # before its next line, so the step ends at the caller's next instruction, on the line
            # of the call, as a step out should.
            self.stop_mid_line(frame.f_back)
        self.agent.on_leave(frame)
