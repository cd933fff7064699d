// One entry for every language we read: the FFI facts of a file, chosen by its name.

import type { Bounded } from '../budget';
import { parseCSource } from '../c/parse';
import { parseCtypes } from '../ctypes/parse';
import type { FfiFile } from './model';
import { parseKoffi, type FocusLines } from '../koffi/parse';
import { grammarForFile } from '../syntax';

const NOTHING: FfiFile = { functions: [], calls: [], records: [] };

/**
 * The FFI declarations, records and calls in `text`; an unknown kind of file has none. Within
 * `options.budget` (size, nesting, time): past it, a file problem says why nothing was read.
 */
export interface FfiParseOptions extends Bounded {
  /** Run the build's preprocessor for C files with a compile_commands.json entry (a trusted workspace only). */
  readonly compileCommands?: boolean;
  /** The ABI target: C files are read with its predefined macros (`#ifdef _WIN32`…). */
  readonly target?: string;
  /**
   * Only what a request on these lines needs (koffi and ctypes): a hover there, or hints for
   * those lines, answer as over the whole file. C files are always read whole.
   */
  readonly focus?: FocusLines;
}

export type { FocusLines };

export async function parseFfiFile(fileName: string, text: string, options: FfiParseOptions = {}): Promise<FfiFile> {
  const grammar = grammarForFile(fileName);
  switch (grammar) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
      return parseKoffi(text, grammar, { budget: options.budget, fileName, focus: options.focus });
    case 'python':
      return parseCtypes(text, { budget: options.budget, focus: options.focus });
    case 'c':
      // Includes are read from disk next to the file; `<…>` system headers never are.
      return parseCSource(text, { ...options, fileName });
    default:
      return NOTHING;
  }
}
