// The ABI frame view's only script: the target switch asks the extension for that target's layout.
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('change', (event) => {
    const target = event.target;
    if (target instanceof HTMLSelectElement && target.id === 'target') vscode.postMessage({ type: 'target', target: target.value });
  });
  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message && message.type === 'render' && typeof message.body === 'string') {
      const focused = document.activeElement && document.activeElement.id;
      document.getElementById('frame').innerHTML = message.body;
      if (focused) document.getElementById(focused)?.focus();
    }
  });
})();
