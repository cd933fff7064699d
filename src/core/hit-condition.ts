// DAP hit conditions ("5", ">= 5", "% 3"), counted by us so that C and JS breakpoints behave alike.

export type HitCondition = (hits: number) => boolean;

/** Parses a hit condition; null when the text is not one (the breakpoint is then reported unverified). */
export function parseHitCondition(text: string): HitCondition | null {
  const match = /^\s*(>=|<=|==|>|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!match) return null;
  const n = Number(match[2]);
  switch (match[1]) {
    case '>=':
      return (hits) => hits >= n;
    case '<=':
      return (hits) => hits <= n;
    case '>':
      return (hits) => hits > n;
    case '<':
      return (hits) => hits < n;
    case '==':
      return (hits) => hits === n;
    case '%':
      return (hits) => n > 0 && hits % n === 0;
    default:
      // A bare number means "break on the Nth hit and after", as VS Code's own JS debugger does.
      return (hits) => hits >= n;
  }
}
