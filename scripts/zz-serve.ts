import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
const [root, port] = [process.argv[2]!, Number(process.argv[3])];
const db = await PGlite.create({ dataDir: path.join(root, 'pgdata'), extensions: { vector } });
const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 4 });
await server.start();
console.log('serving', server.getServerConn());
