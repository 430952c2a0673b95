import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDiscord } from '../support/fake-discord/index.js';
import { runCliInProcess } from '../support/run-cli.js';
import { embedText, type BotProcess, startSpawnedRig, type SpawnedRig } from './bot-harness.js';

// A running bot (real process) serves papers that another process ingests while it runs: no restart.

const NEW_TITLE = 'Quokka Lattice Transformers for Continual Tabular Learning';
const NEW_ABSTRACT =
  'We introduce Quokka Lattice Transformers, a lattice-structured attention mechanism for continual learning on tabular data streams. ' +
  'Quokka keeps a replay lattice of prototypes and beats rehearsal baselines on twelve tabular benchmarks without storing raw rows.';

let rig: SpawnedRig;
let fake: FakeDiscord;
let bot: BotProcess;
let dataDir: string;

beforeAll(async () => {
  rig = await startSpawnedRig({ readyTimeoutMs: 45_000 });
  ({ fake, bot, dataDir } = rig);
}, 90_000);

afterAll(async () => {
  await rig?.stop();
});

async function searchTitles(query: string): Promise<string> {
  const sent = fake.sendSlashCommand({ name: 'search', options: { query, count: 3 } });
  const reply = await fake.waitForOriginal(sent.token, (m) => embedText(m).includes('Search:'), 20_000);
  return embedText(reply);
}

describe('the running bot catches up with the index', () => {
  it('a paper ingested by `paperbot ingest` in another process is found by /search and /paper without a restart', async () => {
    expect(await searchTitles('quokka lattice transformers')).not.toContain(NEW_TITLE);

    const file = path.join(dataDir, 'new-papers.jsonl');
    await writeFile(file, `${JSON.stringify({ title: NEW_TITLE, abstract: NEW_ABSTRACT, url: 'https://arxiv.org/abs/2501.01234' })}\n`);
    const ingest = await runCliInProcess(['ingest', file], { env: { PAPERBOT_DATA_DIR: dataDir } });
    expect(ingest.code, ingest.stderr).toBe(0);

    expect(await searchTitles('quokka lattice transformers')).toContain(NEW_TITLE);
    const reloaded = await bot.waitForLog((l) => l.event === 'index-reloaded', 10_000, 'the reload');
    expect(reloaded).toMatchObject({ added: 1, papers: 253 });

    // /paper resolves the name synchronously: over the papers the bot already swapped in.
    const sent = fake.sendSlashCommand({ name: 'paper', options: { paper: NEW_TITLE } });
    expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(5);
    const shown = await fake.waitForOriginal(sent.token, (m) => m.embeds.length > 0);
    expect(shown.embeds[0]).toMatchObject({ title: NEW_TITLE, url: 'https://arxiv.org/abs/2501.01234' });
    expect(bot.logs.filter((l) => l.event === 'index-reloaded')).toHaveLength(1);
  }, 60_000);
});
