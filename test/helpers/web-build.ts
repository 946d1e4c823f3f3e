/**
 * The pages as `npm run build` makes them (web/vite.config.ts), built once per test file into
 * a temporary folder (removed after the file's tests): tests serve what agents would get.
 */
import { build } from 'vite';
import { pagesBuild } from '../../web/vite.config.js';
import { tempDirs } from './temp-dirs.js';

export function builtPages(): () => Promise<string> {
  const tempDir = tempDirs('polylink-web-');
  let built: Promise<string> | undefined;
  return () => {
    built ??= (async () => {
      const dir = tempDir();
      await build(pagesBuild(dir));
      return dir;
    })();
    return built;
  };
}
