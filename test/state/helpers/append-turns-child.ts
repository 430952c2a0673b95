// A process writing to a shared state: opens it, prints "ready", waits for a line on stdin (so two such
// processes start writing together), then appends `count` question/answer exchanges by `writer`.
// Usage: node --import tsx append-turns-child.ts (or its compiled copy in a test run: nodeArgsFor) <SQLite file | postgres:// URL> <thread id> <writer> <count>
import { once } from 'node:events';
import { openPostgresStateStores } from '../../../src/state/postgres/open-postgres-state-stores.js';
import { openSqliteStateStores } from '../../../src/state/sqlite/open-sqlite-state-stores.js';

const [target, threadId, writer, count] = process.argv.slice(2) as [string, string, string, string];
const stores = target.startsWith('postgres://') ? await openPostgresStateStores({ url: target, poolMax: 4, statementTimeoutMs: 10_000 }) : openSqliteStateStores(target);
process.stdout.write('ready\n');
await once(process.stdin, 'data');
for (let i = 0; i < Number(count); i++) {
  await stores.threads.appendTurns(threadId, [{ role: 'user', content: `${writer} q${i}`, author: writer }, { role: 'assistant', content: `${writer} a${i}` }], i);
}
await stores.close();
process.stdin.destroy();
