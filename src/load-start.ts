// When the extension's bundle started evaluating: imported first by extension.ts, so esbuild
// evaluates it before every other module, and activation can report what loading cost.
export const bundleStart = performance.now();
