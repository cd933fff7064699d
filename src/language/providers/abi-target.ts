// The ABI the editor features speak about: the `polyglot.abi.target` setting, `host` by default.

import * as vscode from 'vscode';
import { hostTarget } from '../../abi/host';
import { TARGET_IDS, type TargetId } from '../../abi/model';

export function configuredTarget(): TargetId {
  const setting = vscode.workspace.getConfiguration('polyglot').get<string>('abi.target', 'host');
  return TARGET_IDS.find((t) => t === setting) ?? hostTarget(process.platform, process.arch) ?? 'x86_64-sysv';
}
