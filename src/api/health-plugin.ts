/**
 * GET /health, for load balancers and monitoring: the server's version, agents online,
 * uptime, switch nodes and the store; 503 while the store is degraded (PostgreSQL behind or away).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { NodeStatus } from '../core/ports/switch-port.js';
import type { StoreHealth } from '../engine/store.js';

export interface Health {
  readonly status: 'ok' | 'degraded';
  readonly version: string;
  readonly agentsOnline: number;
  readonly uptimeSeconds: number;
  readonly switch: 'freeswitch' | 'simulator';
  readonly nodes: readonly NodeStatus[];
  readonly store: StoreHealth;
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
  },
} as const;

export const healthPlugin: FastifyPluginAsync<{ readonly health: () => Health }> = async (app, { health }) => {
  app.get('/health', { schema: { tags: ['operations'], summary: "The server's health", response: { 200: HEALTH_SCHEMA, 503: HEALTH_SCHEMA } } }, async (_request, reply) => {
    const now = health();
    return reply.code(now.status === 'ok' ? 200 : 503).send(now);
  });
};
