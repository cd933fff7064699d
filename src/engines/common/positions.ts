// Engines disagree on where counting starts: CDP lines and columns are 0-based, gdb/MI, Python
// and DAP (as we configure it) are 1-based. Branded numbers make the compiler refuse to mix them.

declare const zeroBased: unique symbol;
declare const oneBased: unique symbol;

/** A 0-based line or column (CDP). */
export type Base0 = number & { readonly [zeroBased]: true };
/** A 1-based line or column (gdb/MI, Python, DAP, editors). */
export type Base1 = number & { readonly [oneBased]: true };

export const base0 = (n: number): Base0 => n as Base0;
export const base1 = (n: number): Base1 => n as Base1;
export const toBase1 = (n: Base0): Base1 => (n + 1) as Base1;
export const toBase0 = (n: Base1): Base0 => (n - 1) as Base0;
