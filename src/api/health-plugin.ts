/**
 * GET /health, for load balancers and monitoring: the server's version, agents online,
 * uptime, switch nodes and the store; 503 while the store is degraded (PostgreSQL behind or away).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { NodeStatus, SwitchBacklog } from '../core/ports/switch-port.js';
import type { StoreHealth } from '../engine/store.js';
import type { StoreHealth as DatabaseWrites } from '../engine/row-writer.js';

export interface Health {
  readonly status: 'ok' | 'degraded';
  readonly version: string;
  readonly agentsOnline: number;
  readonly uptimeSeconds: number;
  readonly switch: 'freeswitch' | 'simulator';
  readonly nodes: readonly NodeStatus[];
  readonly store: StoreHealth;
  /** Whether the database takes the steps' rows now, and what waits or was lost (row-writer.ts). */
  readonly database: DatabaseWrites;
  /** The wall clock minus polylink's own: not 0 after the wall clock stepped (src/clock.ts). */
  readonly clockOffsetMs: number;
  /** Switch events received and not yet taken by the core (the bounded backlog), and the overload they cause. */
  readonly switchEvents: SwitchBacklog & { readonly customersTurnedAway: number };
  /** The webhooks' delivery and seed 004's exports (absent on PostgreSQL, which has neither yet). */
  readonly webhooks?: { readonly backlog: number; readonly oldestAgeSeconds: number | null; readonly dead: number; readonly inFlight: number };
  readonly exports?: { readonly building: number };
}

const HEALTH_SCHEMA = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    version: { type: 'string' },
    agentsOnline: { type: 'integer' },
    uptimeSeconds: { type: 'integer' },
    switch: { type: 'string', enum: ['freeswitch', 'simulator'] },
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          state: { type: 'string', enum: ['idle', 'connecting', 'ready', 'waiting', 'stopped'] },
          alarm: { type: 'string' },
          channels: { type: 'integer' },
        },
      },
    },
    store: {
      type: 'object',
      description: "the database: sqlite, or postgres with its write-behind queue's figures (ok false: behind or unreachable)",
      properties: {
        driver: { type: 'string', enum: ['sqlite', 'postgres'] },
        ok: { type: 'boolean' },
        url: { type: 'string', description: 'the PostgreSQL URL, password removed' },
        writes: { type: 'object', additionalProperties: true },
      },
    },
    database: {
      type: 'object',
      description: 'whether the database takes writes now; while it refuses, the rows waiting in memory and those given up by kind',
      properties: {
        writable: { type: 'boolean' },
        error: { type: 'string', description: 'the SQLite code of the refusal (SQLITE_FULL …)' },
        since: { type: 'integer' },
        pendingRows: { type: 'integer' },
        lostRows: { type: 'object', additionalProperties: { type: 'integer' } },
      },
    },
    switchEvents: {
      type: 'object',
      description:
        'switch events received and not yet taken by the core: now, the most since start, the bound (links suspended past it), how often it was reached, whether it is full now; ' +
        'how long the oldest has waited, whether polylink is behind the switch (freeswitch.overload) and how often it was, and the customers turned to their queue overflow meanwhile',
      properties: {
        waiting: { type: 'integer' },
        highWater: { type: 'integer' },
        limit: { type: 'integer' },
        fullTimes: { type: 'integer' },
        full: { type: 'boolean' },
        oldestAgeMs: { type: 'integer' },
        behind: { type: 'boolean' },
        behindTimes: { type: 'integer' },
        customersTurnedAway: { type: 'integer' },
      },
    },
    webhooks: {
      type: 'object',
      description: 'pushes waiting on disk over all targets and callbacks, how long the oldest has waited (null: none waits), dead pushes, POSTs under way',
      properties: { backlog: { type: 'integer' }, oldestAgeSeconds: { type: ['integer', 'null'] }, dead: { type: 'integer' }, inFlight: { type: 'integer' } },
    },
    exports: { type: 'object', description: 'seed 004 exports waiting or being built', properties: { building: { type: 'integer' } } },
    clockOffsetMs: { type: 'integer', description: 'the wall clock minus polylink’s own clock (not 0 after the wall clock stepped)' },
  },
} as const;

export const healthPlugin: FastifyPluginAsync<{ readonly health: () => Health }> = async (app, { health }) => {
  app.get('/health', { schema: { tags: ['operations'], summary: "The server's health", response: { 200: HEALTH_SCHEMA, 503: HEALTH_SCHEMA } } }, async (_request, reply) => {
    const now = health();
    // 503 only for a store that cannot keep up (PostgreSQL behind or away); a database refusing
    // writes is degraded but answered 200: calls go on, its rows wait in memory.
    return reply.code(now.store.ok ? 200 : 503).send(now);
  });
};
