"""Run by the C host from its file (Py_CompileString with this path): breakpoints here bind."""
import work

values = [work.mix_twice(n) for n in range(2)]  # @script-values
print("script", values)  # @script-print
