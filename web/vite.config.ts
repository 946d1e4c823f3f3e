/**
 * The web pages polylink serves (src/api/web-routes.ts): one multi-page build into dist/web/,
 * each page an HTML file under its own folder, their scripts and styles in assets/ with the
 * content hash in the name (served as immutable). A page is one line of PAGES; the agent bar and
 * the supervisor wallboard share web/shared/ and the SDK.
 * Nothing is fetched from elsewhere at run time. The SDK's own bundle is built after this one
 * (web/sdk/vite.config.ts) into dist/web/sdk/, which this build's emptying would remove.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

const WEB_ROOT = fileURLToPath(new URL('.', import.meta.url));
export const PAGES_OUT_DIR = fileURLToPath(new URL('../dist/web', import.meta.url));

/** Page name → its HTML, from web/. */
export const PAGES: Readonly<Record<string, string>> = {
  agent: 'agent/index.html',
  wallboard: 'wallboard/index.html',
};

/** The build, into `outDir` (the tests build into a temporary folder). */
export function pagesBuild(outDir: string): UserConfig {
  return {
    root: WEB_ROOT,
    base: '/',
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      assetsDir: 'assets',
      sourcemap: true,
      // One module per page: no preload helper, nothing inline for the pages' content security policy.
      modulePreload: false,
      rolldownOptions: {
        input: Object.fromEntries(Object.entries(PAGES).map(([name, html]) => [name, `${WEB_ROOT}${html}`])),
        // What the pages share (the SDK, web/shared/) is one chunk that each page's script imports.
        output: { chunkFileNames: 'assets/shared-[hash].js' },
      },
    },
  };
}

export default defineConfig(pagesBuild(PAGES_OUT_DIR));
