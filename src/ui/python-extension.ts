// The interpreter the Python extension (ms-python.python) has selected for a folder, so a `.py`
// program runs where the user's packages are. Its API has changed over the years: the
// environments API (getActiveEnvironmentPath + resolveEnvironment) first, then the older
// settings.getExecutionDetails; without the extension, undefined (the adapter then uses python3).

import * as vscode from 'vscode';

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment?(environment: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
  settings?: { getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] } | undefined };
}

/** The selected interpreter's executable for `resource`, or undefined when none can be had. */
export async function selectedPythonInterpreter(resource: vscode.Uri | undefined): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    return await interpreterFromApi(api, resource);
  } catch {
    return undefined; // the extension failed: python3 on PATH it is
  }
}

export async function interpreterFromApi(api: PythonExtensionApi | undefined, resource: vscode.Uri | undefined): Promise<string | undefined> {
  const active = api?.environments?.getActiveEnvironmentPath?.(resource);
  if (active?.path) {
    const resolved = await api?.environments?.resolveEnvironment?.(active).catch(() => undefined);
    return resolved?.executable?.uri?.fsPath ?? active.path;
  }
  return api?.settings?.getExecutionDetails?.(resource)?.execCommand?.[0];
}
