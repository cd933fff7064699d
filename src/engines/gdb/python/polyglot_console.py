# The text of a gdb console command, as the console prints it. gdb 18 run as an MI interpreter
# returns `gdb.execute(..., to_string=True)` as MI stream records (`~"text\n"` per line) instead
# of plain text; gdb 13 and 16 return plain text. Both are read here, so that the parsers of
# `info symbol` / `info variables` output see the same lines on every gdb.
import codecs

import gdb


def _unquote(record):
    """The text of one MI stream record's C string (escapes such as \\n, \\" and octal bytes)."""
    body = record[2:-1] if record.endswith('"') else record[2:]
    return codecs.escape_decode(body.encode("utf-8"))[0].decode("utf-8", "replace")


def console_text(command):
    text = gdb.execute(command, to_string=True)
    lines = text.splitlines()
    if not any(line.startswith('~"') for line in lines):
        return text
    # Only the console stream is the command's output; log (&) and notify (=) records are not.
    return "".join(_unquote(line) for line in lines if line.startswith('~"'))
