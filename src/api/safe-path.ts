/**
 * Files named by a request path, and only those under one folder (the web pages'
 * web.dir, the recordings' calls.recordingsDir). A path is decoded segment by segment;
 * a segment that decodes to `..`, starts with a dot, or holds a slash, a backslash or a
 * control character is refused, so no encoding of a climb gets through; and a file found
 * must really be under the folder, so a symbolic link cannot lead out of it.
 */
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** The path's segments, decoded; undefined when one of them could lead anywhere but down the folder. */
export function decodeSegments(pathname: string): string[] | undefined {
  const out: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment.startsWith('.') || /[/\\\x00-\x1f\x7f]/.test(segment)) return undefined;
    out.push(segment);
  }
  return out;
}

export type Found =
  | { readonly directory: false; readonly path: string; readonly size: number; readonly mtimeMs: number }
  /** A folder with an index.html, asked for without its trailing slash. */
  | { readonly directory: true };

/** The file at `segments` under `root` (a folder's index.html when `wantsIndex`), if it is there and really under root. */
export async function fileUnder(root: string, segments: readonly string[], wantsIndex: boolean): Promise<Found | undefined> {
  let path = join(root, ...segments);
  try {
    let info = await stat(path);
    if (info.isDirectory()) {
      const index = join(path, 'index.html');
      const indexInfo = await stat(index);
      if (!indexInfo.isFile()) return undefined;
      if (!wantsIndex) return { directory: true };
      path = index;
      info = indexInfo;
    }
    if (!info.isFile()) return undefined;
    // A symbolic link inside the folder must not lead out of it.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(path)]);
    if (!realFile.startsWith(realRoot + sep)) return undefined;
    return { directory: false, path, size: info.size, mtimeMs: info.mtimeMs };
  } catch {
    return undefined;
  }
}
