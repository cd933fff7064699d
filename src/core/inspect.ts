// Values while stopped: scopes, variables, evaluate and setVariable for whichever language the
// selected frame is in. C frames read through gdb (those below a paused JS or Python frame while
// gdb holds the thread for a moment), live JS frames through CDP; a frame of the other language
// says why it has none.

import { ErrorCode, userError } from '../engines/common/errors';
import { frameAbi, type FrameAbi } from './frame-abi';
import { Handles } from './handles';
import type { MixedSession } from './mixed-session';
import type { StackItem } from './stitch';

export interface ScopeInfo {
  name: string;
  handle: number;
  expensive: boolean;
  presentationHint?: 'arguments' | 'locals' | 'registers';
}

export interface VariableInfo {
  name: string;
  value: string;
  type?: string;
  handle: number;
}

type Ref =
  | { kind: 'c-locals'; level: number }
  | { kind: 'c-registers'; level: number; frame: Extract<StackItem, { kind: 'c' }> }
  | { kind: 'c-children'; handle: string; level: number }
  /** A C frame below the paused JS or Python frame: read while gdb holds the thread for a moment. */
  | { kind: 'c-held'; frame: Extract<StackItem, { kind: 'c' }> }
  | { kind: 'js-scope'; objectId: string; scopeNumber: number; callFrameId: string }
  | { kind: 'js-object'; objectId: string }
  | { kind: 'py'; reference: number; frameId: number }
  | { kind: 'py-outside'; values: { name: string; value: string; type?: string }[] }
  | { kind: 'empty' };

export class StopInspector {
  private readonly refs = new Handles<Ref>();

  constructor(private readonly session: MixedSession) {}

  /** Forget every handle: called whenever the program runs again. */
  reset(): void {
    this.refs.reset();
  }

  async scopes(frame: StackItem): Promise<ScopeInfo[]> {
    if (frame.kind === 'c') {
      if (frame.level === undefined) {
        const holder = this.session.stoppedIn;
        if ((holder === 'js' || holder === 'python') && this.session.native && frame.readableWhileHeld) {
          return [{ name: 'Locals', handle: this.refs.create({ kind: 'c-held', frame }), expensive: false, presentationHint: 'locals' }];
        }
        // gdb's own frames end at koffi's stack switch; the frames past it come from a walk over memory.
        return [{ name: 'Locals unavailable: gdb cannot address C frames past koffi’s stack switch (this one was found by reading the stack)', handle: this.refs.create({ kind: 'empty' }), expensive: false }];
      }
      return [
        { name: 'Locals', handle: this.refs.create({ kind: 'c-locals', level: frame.level }), expensive: false, presentationHint: 'locals' },
        { name: 'Registers', handle: this.refs.create({ kind: 'c-registers', level: frame.level, frame }), expensive: true, presentationHint: 'registers' },
      ];
    }
    if (frame.kind === 'py') {
      const python = this.session.python;
      if (frame.agentFrameId !== undefined && python && this.session.stoppedIn === 'python') {
        const frameId = frame.agentFrameId;
        return (await python.scopes(frameId)).map((scope) => ({
          name: scope.name,
          handle: this.refs.create({ kind: 'py', reference: scope.variablesReference, frameId }),
          expensive: scope.expensive ?? false,
          presentationHint: scope.presentationHint === 'locals' ? ('locals' as const) : undefined,
        }));
      }
      const values = this.session.pythonLocalsFromOutside.get(`${frame.path}:${frame.line}:${frame.name}`);
      if (values) return [{ name: 'Locals (read while stopped outside Python)', handle: this.refs.create({ kind: 'py-outside', values }), expensive: false, presentationHint: 'locals' }];
      return [{ name: 'Python values unavailable here: the host holds the GIL, or the agent is not connected', handle: this.refs.create({ kind: 'empty' }), expensive: false }];
    }
    if (frame.kind === 'js') {
      if (!frame.live) {
        return [{ name: 'JavaScript values are shown when stopped in JavaScript', handle: this.refs.create({ kind: 'empty' }), expensive: false }];
      }
      const callFrameId = frame.live.callFrameId;
      return frame.live.scopes.map((scope, scopeNumber) => ({
        name: scope.name,
        handle: this.refs.create({ kind: 'js-scope', objectId: scope.objectId, scopeNumber, callFrameId }),
        expensive: scope.expensive,
        presentationHint: scope.name === 'Local' ? ('locals' as const) : undefined,
      }));
    }
    return [];
  }

  async variables(handle: number): Promise<VariableInfo[]> {
    const ref = this.refs.get(handle);
    if (!ref || ref.kind === 'empty') return [];
    const native = this.session.native;
    const js = this.session.js;
    switch (ref.kind) {
      case 'c-locals':
      case 'c-registers':
      case 'c-children': {
        if (!native) return [];
        const thread = native.mainThreadId;
        const values =
          ref.kind === 'c-locals' ? await native.variables(thread, ref.level) : ref.kind === 'c-registers' ? await this.annotatedRegisters(ref.frame) : await native.children(ref.handle);
        return values.map((v) => ({
          name: v.name,
          value: v.value,
          type: v.type,
          handle: v.childrenHandle ? this.refs.create({ kind: 'c-children', handle: v.childrenHandle, level: ref.level }) : 0,
        }));
      }
      case 'py': {
        const python = this.session.python;
        if (!python) return [];
        return (await python.variables(ref.reference)).map((v) => ({
          name: v.name,
          value: v.value,
          type: v.type,
          handle: v.variablesReference ? this.refs.create({ kind: 'py', reference: v.variablesReference, frameId: ref.frameId }) : 0,
        }));
      }
      case 'c-held': {
        const values = await this.session.heldFrameVariables(ref.frame);
        if (!values) return [{ name: '(unavailable)', value: 'this frame is no longer on the stack', handle: 0 }];
        return values.map((v) => ({ name: v.name, value: v.value, type: v.type, handle: 0 }));
      }
      case 'py-outside':
        return ref.values.map((v) => ({ name: v.name, value: v.value, type: v.type, handle: 0 }));
      case 'js-scope':
      case 'js-object': {
        if (!js) return [];
        const values = await js.properties(ref.objectId);
        return values.map((v) => ({
          name: v.name,
          value: v.value,
          type: v.type,
          handle: v.objectId ? this.refs.create({ kind: 'js-object', objectId: v.objectId }) : 0,
        }));
      }
    }
  }

  /** The ABI picture of a C frame (see frame-abi.ts); null for frames that are not C or cannot be placed. */
  async frameAbi(frame: StackItem | undefined): Promise<FrameAbi | null> {
    const native = this.session.native;
    if (!native || frame?.kind !== 'c') return null;
    return frameAbi(native, this.session.entrySnapshots, frame);
  }

  /** Registers, each argument register saying which argument it carried: `rdi = 0x2  ← a: int (2 at the call)`. */
  private async annotatedRegisters(frame: Extract<StackItem, { kind: 'c' }>): Promise<{ name: string; value: string; type?: string; childrenHandle?: string }[]> {
    const native = this.session.native!;
    const registers = await native.registers(native.mainThreadId, frame.level!);
    const abi = await this.frameAbi(frame).catch(() => null);
    const roles = new Map<string, string>();
    for (const param of abi?.params ?? []) {
      for (const piece of param.pieces) {
        const part = param.pieces.length > 1 ? ` bytes ${piece.offset}–${piece.offset + piece.size - 1}` : '';
        const at = abi?.source !== 'none' && param.value !== undefined ? ` (${param.value} at the call)` : '';
        roles.set(piece.loc, `${piece.indirect ? '&' : ''}${param.name}: ${param.type}${part}${at}`);
      }
    }
    if (abi?.sret) roles.set(abi.sret.loc, `hidden return pointer (${abi.ret.type})`);
    return registers.map((r) => (roles.has(r.name) ? { ...r, value: `${r.value}  ← ${roles.get(r.name)}` } : r));
  }

  async evaluate(expression: string, frame: StackItem | undefined): Promise<VariableInfo> {
    const native = this.session.native;
    const js = this.session.js;
    const target = frame ?? (await this.session.stackTrace()).find((item) => item.kind !== 'label' && item.kind !== 'note');
    if (target?.kind === 'c') {
      if (!native || target.level === undefined) {
        const above = this.session.stoppedIn === 'python' ? 'Python' : 'JavaScript';
        throw userError(ErrorCode.EvaluateFailed, `This C frame lies below the paused ${above} frame: its arguments and locals are in the Variables view, but expressions are evaluated only in C frames of a stop in C.`);
      }
      const v = await native.evaluate(native.mainThreadId, target.level, expression);
      return { name: expression, value: v.value, type: v.type, handle: v.childrenHandle ? this.refs.create({ kind: 'c-children', handle: v.childrenHandle, level: target.level }) : 0 };
    }
    if (target?.kind === 'py') {
      const python = this.session.python;
      if (!python || target.agentFrameId === undefined || this.session.stoppedIn !== 'python') {
        throw userError(ErrorCode.EvaluateFailed, 'Python frames can be evaluated when the program is stopped in Python.');
      }
      const frameId = target.agentFrameId;
      const v = await python.evaluate(expression, frameId);
      return { name: expression, value: v.value, type: v.type, handle: v.variablesReference ? this.refs.create({ kind: 'py', reference: v.variablesReference, frameId }) : 0 };
    }
    if (!js) throw userError(ErrorCode.EvaluateFailed, 'JavaScript is not connected.');
    if (target?.kind === 'js' && !target.live && this.session.stoppedIn === 'native') {
      throw userError(ErrorCode.EvaluateFailed, 'JavaScript frames can be evaluated when the program is stopped in JavaScript; this stop is in C.');
    }
    const callFrameId = target?.kind === 'js' ? target.live?.callFrameId : undefined;
    const v = await js.evaluate(expression, callFrameId);
    return { name: expression, value: v.value, type: v.type, handle: v.objectId ? this.refs.create({ kind: 'js-object', objectId: v.objectId }) : 0 };
  }

  async setVariable(handle: number, name: string, value: string): Promise<VariableInfo> {
    const ref = this.refs.get(handle);
    const native = this.session.native;
    const js = this.session.js;
    if (ref?.kind === 'c-locals' && native) {
      const v = await native.setVariable(native.mainThreadId, ref.level, name, value);
      return { name, value: v.value, type: v.type, handle: 0 };
    }
    if (ref?.kind === 'c-children' && native) {
      const v = await native.setVariable(native.mainThreadId, ref.level, name, value, ref.handle);
      return { name, value: v.value, type: v.type, handle: 0 };
    }
    if (ref?.kind === 'py' && this.session.python) {
      const v = await this.session.python.setVariable(ref.frameId, name, value);
      return { name, value: v.value, type: v.type, handle: 0 };
    }
    if (ref?.kind === 'js-scope' && js) {
      const v = await js.setVariable(ref.scopeNumber, name, value, ref.callFrameId);
      return { name, value: v.value, type: v.type, handle: v.objectId ? this.refs.create({ kind: 'js-object', objectId: v.objectId }) : 0 };
    }
    throw userError(ErrorCode.Unsupported, 'This value cannot be changed here.');
  }
}
