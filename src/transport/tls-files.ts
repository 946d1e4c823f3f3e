/** Reads the certificate and key a TLS listener serves (agent.tls, http.tls): PEM files, read once at start. */
import { readFileSync } from 'node:fs';
import type { TlsFiles } from '../config/config-schema.js';

export function readTlsFiles(files: TlsFiles): { cert: Buffer; key: Buffer } {
  return { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
}
