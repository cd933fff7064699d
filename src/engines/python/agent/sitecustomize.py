"""Polyglot Debug's bootstrap: Python imports `sitecustomize` while it initializes, in any
interpreter the debuggee embeds, so the agent starts without a change to the user's code. The
adapter puts this folder first on PYTHONPATH and says where to connect in POLYGLOT_PYTHON_AGENT.
Any other sitecustomize on the path (Debian ships one) is imported after ours."""
import os
import sys


def _start_agent():
    address = os.environ.pop("POLYGLOT_PYTHON_AGENT", None)
    token = os.environ.pop("POLYGLOT_PYTHON_TOKEN", None)
    if not address or not token:
        return
    try:
        import polyglot_agent
        polyglot_agent.start(address, token)
    except Exception as error:  # the program must run even when the agent cannot
        sys.stderr.write(f"Polyglot Debug: the Python agent did not start: {error!r}\n")


def _chain_next_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    saved = list(sys.path)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    module = sys.modules.pop("sitecustomize", None)
    try:
        import sitecustomize  # noqa: F401  (the next one on the path, if any)
    except ImportError:
        pass
    finally:
        sys.path[:] = saved
        if module is not None and "sitecustomize" not in sys.modules:
            sys.modules["sitecustomize"] = module


_start_agent()
_chain_next_sitecustomize()
