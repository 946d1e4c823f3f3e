/** GET /health, for load balancers and monitoring: the server's version, agents online, uptime and switch nodes. */
import type { FastifyPluginAsync } from 'fastify';
import type { NodeStatus } from '../core/ports/switch-port.js';

export interface Health {
  readonly status: 'ok';
  readonly version: string;
  readonly agentsOnline: number;
  readonly uptimeSeconds: number;
  readonly switch: 'freeswitch' | 'simulator';
  readonly nodes: readonly NodeStatus[];
}

const HEALTH_SCHEMA = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok'] },
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
  },
} as const;

export const healthPlugin: FastifyPluginAsync<{ readonly health: () => Health }> = async (app, { health }) => {
  app.get('/health', { schema: { tags: ['operations'], summary: "The server's health", response: { 200: HEALTH_SCHEMA } } }, async () => health());
};
