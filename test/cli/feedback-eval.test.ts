import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';
import { stateDatabasePath } from '../../src/state/sqlite/open-state-database.js';
import { makeIndexedDataDir } from '../support/indexed-data-dir.js';
import { runCliInProcess } from '../support/run-cli.js';

// 👎 → regression test: `paperbot feedback --export --as-eval` writes eval questions that `paperbot eval --file` replays.

const DUALPROMPT = 'DualPrompt: Complementary Prompting for Rehearsal-free Continual Learning';
const WEEK = 7 * 86_400_000;
const MONDAY = Date.UTC(2026, 10, 23, 12); // 2026-W48

let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = await makeIndexedDataDir();
  env = { PAPERBOT_DATA_DIR: dataDir };
  const stores = openSqliteStateStores(stateDatabasePath(path.join(dataDir, 'state')));
  const sources = [{ n: 1, id: 'x', title: 'Some other paper', url: 'https://x.example' }];
  const ask = await stores.feedback.recordShownAnswer({ question: 'which prompting method attaches task-invariant and task-specific prompts?', answer: 'A [1].', sources, mode: 'llm', command: 'ask' }, MONDAY);
  const follow = await stores.feedback.recordShownAnswer({ question: 'rehearsal-free continual learning with complementary prompts', answer: 'B [1].', sources, mode: 'llm', command: 'follow-up' }, MONDAY);
  const liked = await stores.feedback.recordShownAnswer({ question: 'liked', answer: 'C [1].', sources, mode: 'llm', command: 'ask' }, MONDAY);
  await stores.feedback.recordVote({ answerId: ask, userId: 'u1', vote: 'down' }, MONDAY);
  await stores.feedback.recordVote({ answerId: follow, userId: 'u2', vote: 'down' }, MONDAY + WEEK);
  await stores.feedback.recordVote({ answerId: liked, userId: 'u3', vote: 'up' }, MONDAY + WEEK);
  const dualPromptId = JSON.parse((await runCliInProcess(['papers', '--json'], { env })).stdout.split('\n').find((line) => line.includes(DUALPROMPT))!) as { id: string };
  // The export lists them in the order the papers were named (the ask's first).
  await stores.feedback.recordExpectedPaper({ answerId: ask, userId: 'u1', paperId: dualPromptId.id, title: DUALPROMPT }, MONDAY + WEEK);
  await stores.feedback.recordExpectedPaper({ answerId: follow, userId: 'u2', paperId: dualPromptId.id, title: DUALPROMPT }, MONDAY + WEEK + 60_000);
  await stores.close();
}, 120_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('paperbot feedback', () => {
  it('--export --as-eval writes data/eval-format questions that paperbot eval --file replays', async () => {
    const out = path.join(dataDir, 'feedback-eval.jsonl');
    const run = await runCliInProcess(['feedback', '--export', '--as-eval', '--out', out], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Wrote 2 eval questions to ${out}.`);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => Object.keys(line))).toEqual([['id', 'question', 'expected', 'kind'], ['id', 'question', 'expected', 'kind']]);
    expect(lines[0]).toMatchObject({ question: 'which prompting method attaches task-invariant and task-specific prompts?', expected: [DUALPROMPT], kind: 'feedback' });

    const replay = await runCliInProcess(['eval', '--file', out, '--json', '--verbose'], { env });
    expect(replay.code, replay.stderr).toBe(0);
    const metrics = JSON.parse(replay.stdout) as { count: number; r10: number; perQuestion: { question: string; firstRank: number | null }[] };
    expect(metrics.count).toBe(2);
    expect(metrics.perQuestion.map((q) => q.question)).toEqual(lines.map((line) => line.question));
    expect(metrics.r10).toBe(1);
  });

  it('--stats shows votes per command and ISO week; no flag is a usage error', async () => {
    const run = await runCliInProcess(['feedback', '--stats'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').map((line) => line.split(/\s+/))).toEqual([
      ['week', 'command', '👍', '👎'],
      ['2026-W49', 'ask', '1', '0'],
      ['2026-W49', 'follow-up', '0', '1'],
      ['2026-W48', 'ask', '0', '1'],
    ]);
    expect((await runCliInProcess(['feedback'], { env })).code).toBe(2);
  });
});
