import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { inject } from 'vitest';
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

/**
 * A new PGlite database is made by running initdb in WebAssembly (≈2 s of CPU). The first file of a
 * test run that starts one saves its data directory, untouched, as made by initdb (a tar in this run's
 * template folder, written under another name and renamed into place, so no file loads a half-written
 * one); the other files start from a copy of it (≈0.4 s): the same fresh, empty database.
 */
function templateFile(): string | undefined {
  let root: string | undefined;
  try {
    root = inject('indexTemplateRoot');
  } catch {
    return undefined; // not in a vitest worker: no run to share it with
  }
  return root ? path.join(root, 'pglite-initdb.tar') : undefined;
}

async function createFreshDatabase(): Promise<PGlite> {
  const template = templateFile();
  if (template && existsSync(template)) return PGlite.create({ extensions: { vector }, loadDataDir: new Blob([await readFile(template)]) });
  const db = await PGlite.create({ extensions: { vector } });
  if (template) {
    const partial = `${template}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    try {
      await writeFile(partial, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
      await rename(partial, template);
    } finally {
      await rm(partial, { force: true });
    }
  }
  return db;
}

/** Start PGlite with pgvector and pglite-socket on a free port (a fresh, empty database). */
export async function startPgliteServer(): Promise<PgliteServer> {
  const db = await createFreshDatabase();
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
