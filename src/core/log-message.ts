// Logpoint messages: "x is {x}, sum {a + b}" → literal parts and expressions, evaluated by the
// engine of the language the logpoint is in. `{{` and `}}` stand for literal braces.

export type LogPart = { text: string } | { expression: string };

export function parseLogMessage(message: string): LogPart[] {
  const parts: LogPart[] = [];
  let text = '';
  for (let i = 0; i < message.length; i++) {
    const ch = message[i];
    if ((ch === '{' || ch === '}') && message[i + 1] === ch) {
      text += ch;
      i++;
    } else if (ch === '{') {
      const end = message.indexOf('}', i + 1);
      if (end < 0) {
        text += message.slice(i);
        break;
      }
      if (text) parts.push({ text });
      text = '';
      parts.push({ expression: message.slice(i + 1, end).trim() });
      i = end;
    } else {
      text += ch;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

/** Renders parts with `evaluate` for each expression; a failing expression shows its error inline. */
export async function renderLogMessage(parts: readonly LogPart[], evaluate: (expression: string) => Promise<string>): Promise<string> {
  const rendered = await Promise.all(
    parts.map(async (part) => {
      if ('text' in part) return part.text;
      try {
        return await evaluate(part.expression);
      } catch (error) {
        return `<${part.expression}: ${error instanceof Error ? error.message : String(error)}>`;
      }
    }),
  );
  return rendered.join('');
}
