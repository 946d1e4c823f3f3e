/**
 * The Dockerfile as its builder reads it: instructions (continuation lines joined,
 * comments dropped), stages, COPY arguments, and .dockerignore matching. Shared by the
 * static checks and the test that lays out and starts the runtime stage.
 */
import { posix } from 'node:path';

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

export const KEYWORDS = new Set([
  'FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL',
]);

/** Instructions with continuation lines joined and comments dropped, as the builder reads them. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let buffer = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    if (buffer === '' && /^\s*(#.*)?$/.test(raw)) return;
    if (buffer !== '' && /^\s*#/.test(raw)) return;
    if (buffer === '') start = i + 1;
    const continued = /\\\s*$/.test(raw);
    buffer += (buffer === '' ? '' : ' ') + raw.replace(/\\\s*$/, '').trim();
    if (continued) return;
    const m = /^(\S+)\s*(.*)$/.exec(buffer);
    if (m !== null) out.push({ keyword: (m[1] ?? '').toUpperCase(), args: m[2] ?? '', line: start });
    buffer = '';
  });
  if (buffer !== '') throw new Error('Dockerfile ends inside a continued line');
  return out;
}

export function stagesOf(instructions: readonly Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (m === null) throw new Error(`line ${ins.line}: FROM ${ins.args}`);
      stages.push({ image: m[1] ?? '', name: m[2], instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return stages;
}

/** `COPY [--from=x] [--chown=…] src… dest` → flags, sources, destination. */
export function copyArgs(args: string): { from: string | undefined; sources: string[]; dest: string } {
  const words = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const rest = words.filter((w) => !w.startsWith('--'));
  const dest = rest.pop();
  if (dest === undefined || rest.length === 0) throw new Error(`COPY ${args}: needs a source and a destination`);
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: rest, dest };
}

/** .dockerignore patterns as the builder applies them to a context-relative path (or any parent of it). */
export function ignoredBy(patterns: readonly string[], path: string): string | undefined {
  const parts = posix.normalize(path).replace(/^\.\//, '').split('/');
  for (const pattern of patterns) {
    const re = new RegExp(
      '^' +
        pattern
          .replace(/^\//, '')
          .split('**')
          .map((s) => s.split('*').map((t) => t.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
          .join('.*') +
        '$',
    );
    for (let n = 1; n <= parts.length; n++) if (re.test(parts.slice(0, n).join('/'))) return pattern;
  }
  return undefined;
}
