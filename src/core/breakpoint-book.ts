// Every breakpoint the user set, whichever engine holds it, with the bookkeeping DAP needs:
// our stable ids, verification, hit counts, logpoint templates. Engines only see conditions.

import { parseHitCondition, type HitCondition } from './hit-condition';
import { parseLogMessage, type LogPart } from './log-message';

export type EngineRef = { engine: 'native'; number: number } | { engine: 'js'; id: string };

export interface UserBreakpoint {
  readonly id: number;
  readonly path?: string;
  readonly functionName?: string;
  /** For instruction breakpoints: the absolute address, as `0x…`. */
  readonly address?: string;
  line?: number;
  column?: number;
  verified: boolean;
  message?: string;
  readonly condition?: string;
  readonly hitCondition?: HitCondition;
  readonly log?: LogPart[];
  hits: number;
  refs: EngineRef[];
}

export interface BreakpointRequest {
  line?: number;
  column?: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export class BreakpointBook {
  private nextId = 1;
  private readonly byKey = new Map<string, UserBreakpoint[]>();

  create(key: string, request: BreakpointRequest, where: { path?: string; functionName?: string; address?: string }): UserBreakpoint {
    const hitCondition = request.hitCondition ? parseHitCondition(request.hitCondition) : undefined;
    const bp: UserBreakpoint = {
      id: this.nextId++,
      ...where,
      line: request.line,
      column: request.column,
      verified: false,
      condition: request.condition || undefined,
      hitCondition: hitCondition ?? undefined,
      log: request.logMessage ? parseLogMessage(request.logMessage) : undefined,
      hits: 0,
      refs: [],
    };
    if (request.hitCondition && !hitCondition) bp.message = `Invalid hit condition "${request.hitCondition}": use N, >=N, >N, <N, <=N, ==N or %N.`;
    const list = this.byKey.get(key) ?? [];
    list.push(bp);
    this.byKey.set(key, list);
    return bp;
  }

  /** Removes and returns the breakpoints of `key` (a source path or "function"). */
  take(key: string): UserBreakpoint[] {
    const list = this.byKey.get(key) ?? [];
    this.byKey.delete(key);
    return list;
  }

  byId(id: number): UserBreakpoint | undefined {
    for (const list of this.byKey.values()) {
      const bp = list.find((b) => b.id === id);
      if (bp) return bp;
    }
    return undefined;
  }

  /** The breakpoints kept under `key` (a source path), without removing them. */
  list(key: string): readonly UserBreakpoint[] {
    return this.byKey.get(key) ?? [];
  }

  /** Every breakpoint, of every source and kind. */
  all(): UserBreakpoint[] {
    return [...this.byKey.values()].flat();
  }

  find(ref: EngineRef): UserBreakpoint | undefined {
    for (const list of this.byKey.values()) {
      const bp = list.find((b) => b.refs.some((r) => (r.engine === 'native' && ref.engine === 'native' ? r.number === ref.number : r.engine === 'js' && ref.engine === 'js' && r.id === ref.id)));
      if (bp) return bp;
    }
    return undefined;
  }

  /** Counts a hit; true when the hit condition (if any) says to stop. */
  countHit(bp: UserBreakpoint): boolean {
    bp.hits++;
    return bp.hitCondition ? bp.hitCondition(bp.hits) : true;
  }
}
