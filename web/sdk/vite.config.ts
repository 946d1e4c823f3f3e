/**
 * The browser bundle of the SDK, in dist/web/sdk/ (polylink serves that folder): an ES
 * module (`import { AgentBar } from '/sdk/agent-bar.js'`, also loadable in Node) and a
 * classic script that defines the global `PolylinkAgentBar` for pages without modules.
 * Minified, with source maps; no runtime dependency.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

export const SDK_ENTRY = fileURLToPath(new URL('./src/index.ts', import.meta.url));
export const SDK_OUT_DIR = fileURLToPath(new URL('../../dist/web/sdk', import.meta.url));

/** The build, into `outDir` (the tests build into a temporary folder). */
export function sdkBuild(outDir: string): UserConfig {
  return {
    // Nothing of the repository's root (index.html, public/) belongs to this build.
    root: fileURLToPath(new URL('.', import.meta.url)),
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      // Vite keeps an ES library's white space for the bundlers that take it in; this one is
      // served to browsers as it is.
      rolldownOptions: { output: { minify: true } },
      sourcemap: true,
      lib: {
        entry: SDK_ENTRY,
        name: 'PolylinkAgentBar',
        formats: ['es', 'iife'],
        fileName: (format) => (format === 'es' ? 'agent-bar.js' : 'agent-bar.iife.js'),
      },
    },
  };
}

export default defineConfig(sdkBuild(SDK_OUT_DIR));
