/**
 * The simulator as a switch box of its own (`polylink simulator`), so that a test can kill
 * it with SIGKILL as FreeSWITCH dies, and start it again on the same port, as FreeSWITCH
 * restarting does (a new Core-UUID, none of the old channels).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Build, type PolylinkProcess, spawnPolylink } from './polylink-process.js';

export interface SimulatorProcess {
  readonly process: PolylinkProcess;
  readonly eslPort: number;
  readonly controlPort: number;
  /** A request to its HTTP controls (/simulator/…). */
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
}

/**
 * Starts `polylink simulator` of `build` on `eslPort` (0: any) with the organisation of the
 * database `databasePath`; phones and customers answer after 50 ms.
 */
export async function startSimulatorProcess(build: Build, dir: string, databasePath: string, password: string, eslPort = 0): Promise<SimulatorProcess> {
  const config = join(dir, 'simulator.yaml');
  writeFileSync(config, `database:\n  path: ${databasePath}\nsimulator:\n  phoneAnswerAfterMs: 50\n  customerAnswerAfterMs: 50\n`);
  const p = spawnPolylink([process.execPath, build.cli, 'simulator', '--config', config, '--port', String(eslPort), '--control-port', '0', '--password', password], { cwd: build.dir });
  try {
    const up = await p.waitForLog((l) => l['msg'] === 'simulator is up', 30_000);
    const controlPort = Number(up['controlPort']);
    return {
      process: p,
      eslPort: Number(up['eslPort']),
      controlPort,
      async control(method, path, body) {
        const res = await fetch(`http://127.0.0.1:${controlPort}${path}`, {
          method,
          ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      },
    };
  } catch (err) {
    p.kill();
    throw err;
  }
}
