// The quick fix for a koffi declaration that does not match its C prototype: the call that
// declares it keeps its callee (`lib.func`, `lib.stdcall`) and gets the C prototype as its one
// argument — koffi's own prototype-string form, which says everything the C source says.

/** `declaration` is the text of the whole declaring call; null when it has no argument list. */
export function rewriteKoffiDeclaration(declaration: string, cPrototype: string): string | null {
  const open = declaration.indexOf('(');
  const close = declaration.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const quoted = `'${cPrototype.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `${declaration.slice(0, open + 1)}${quoted}${declaration.slice(close)}`;
}
