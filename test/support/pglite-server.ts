import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { DatabaseConfig } from '../../src/config.js';

/** PGlite (PostgreSQL 18 in WebAssembly, with pgvector) served over the wire protocol on a loopback port. */
export interface PgliteServer {
  /** postgres://… of the server: the app connects through `pg` as to any server. */
  url: string;
  /**
   * A DatabaseConfig for it. Pool size 1: pglite-socket is ONE backend session shared by every
   * connection (upstream pglite#1046), so only one connection may be active.
   */
  database(overrides?: Partial<DatabaseConfig>): DatabaseConfig;
  stop(): Promise<void>;
}

/** Start PGlite with pgvector and pglite-socket on a free port (takes several seconds: the WASM start). */
export async function startPgliteServer(): Promise<PgliteServer> {
  const db = await PGlite.create({ extensions: { vector } });
  // Several connections may be open (one at a time active): a test's own pool next to the store's.
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 4 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  return {
    url,
    database: (overrides = {}) => ({ url, poolMax: 1, statementTimeoutMs: 60_000, ...overrides }),
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
