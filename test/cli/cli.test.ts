import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { makeIndexedDataDir } from '../support/indexed-data-dir.js';
import { makeDataDir, PROJECT_DIR, runCliInProcess } from '../support/run-cli.js';

let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = await makeDataDir();
  env = { PAPERBOT_DATA_DIR: dataDir };
  // First use builds the index; progress goes to stderr, the JSON result to stdout.
  const first = await runCliInProcess(['search', 'video masked autoencoders', '--json', '--k', '3'], { env });
  expect(first.code).toBe(0);
  expect(first.stderr).toMatch(/252/);
}, 120_000);

describe('paperbot search', () => {
  it('prints the documented JSON line for a query', async () => {
    const run = await runCliInProcess(['search', 'rehearsal-free continual learning with complementary prompts', '--json', '--k', '5'], { env });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as { query: string; relevant: boolean; results: { id: string; title: string; score: number; url: string }[] };
    expect(Object.keys(parsed)).toEqual(['query', 'relevant', 'results']);
    expect(parsed.relevant).toBe(true);
    expect(parsed.results).toHaveLength(5);
    expect(Object.keys(parsed.results[0]!)).toEqual(['id', 'title', 'score', 'url']);
    expect(parsed.results.map((r) => r.title)).toContain('DualPrompt: Complementary Prompting for Rehearsal-free Continual Learning');
    const scores = parsed.results.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('answers one query per line of --file with one JSON line each, and flags off-topic queries', async () => {
    const file = path.join(dataDir, 'queries.txt');
    await writeFile(file, 'speech large language model with discrete units\n\nbest sourdough bread recipe\n');
    const run = await runCliInProcess(['search', '--file', file, '--json'], { env });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { query: string; relevant: boolean; results: { title: string }[] });
    expect(lines.map((l) => l.query)).toEqual(['speech large language model with discrete units', 'best sourdough bread recipe']);
    expect(lines[0]!.relevant).toBe(true);
    expect(lines[0]!.results[0]!.title).toMatch(/SpeechGPT/);
    expect(lines[1]!.relevant).toBe(false);
  });

  it('rejects an empty query with one clear line and a non-zero exit', async () => {
    const run = await runCliInProcess(['search', '   '], { env });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/empty/i);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown flag without a stack trace', async () => {
    const run = await runCliInProcess(['search', 'x', '--bogus'], { env });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/unknown option '--bogus'/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a missing --file clearly', async () => {
    const run = await runCliInProcess(['search', '--file', path.join(dataDir, 'nope.txt'), '--json'], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot read .*nope\.txt: ENOENT/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names the variable when the configuration is invalid', async () => {
    const run = await runCliInProcess(['search', 'x'], { env: { ...env, OPENAI_TIMEOUT_MS: 'soon' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/OPENAI_TIMEOUT_MS/);
  });
});

describe('paperbot ask / compare / summarize without a key', () => {
  it('answers extractively, clearly labelled, with the documented JSON shape', async () => {
    const run = await runCliInProcess(['ask', 'which LLM natively handles speech with discrete speech units?', '--json'], { env });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { answer: string; sources: { n: number; id: string; title: string; url: string }[]; mode: string; refused: boolean; usage: unknown; notice: string };
    expect(Object.keys(result).slice(0, 5)).toEqual(['answer', 'sources', 'mode', 'refused', 'usage']);
    expect(result.mode).toBe('extractive');
    expect(result.refused).toBe(false);
    expect(result.usage).toBeNull();
    expect(result.notice).toMatch(/No language model configured/);
    expect(result.sources.map((s) => s.title).join('\n')).toMatch(/SpeechGPT/);
    for (const source of result.sources) expect(result.answer).toContain(`[${source.n}]`);
  });

  it('refuses plainly when the corpus has nothing on the question, listing the nearest papers', async () => {
    const run = await runCliInProcess(['ask', 'what is the best sourdough bread recipe?'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/nothing on/i);
    expect(run.stdout).toMatch(/Nearest papers:/);
  });

  it('compares two papers named by acronym and says which one is unknown', async () => {
    const ok = await runCliInProcess(['compare', 'L2P', 'DualPrompt', '--json'], { env });
    expect(ok.code).toBe(0);
    const result = JSON.parse(ok.stdout) as { sources: { title: string }[] };
    expect(result.sources.map((s) => s.title)).toEqual([
      'Learning to Prompt for Continual Learning',
      'DualPrompt: Complementary Prompting for Rehearsal-free Continual Learning',
    ]);
    const unknown = await runCliInProcess(['compare', 'DualPrompt', 'Zorblax Quantum Pancakes'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Zorblax Quantum Pancakes/);
  });

  it('summarizes a topic with cited papers', async () => {
    const run = await runCliInProcess(['summarize', 'continual learning with prompts', '--json'], { env });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { answer: string; sources: { n: number }[]; mode: string };
    expect(result.mode).toBe('extractive');
    expect(result.sources.length).toBeGreaterThanOrEqual(3);
    for (const source of result.sources) expect(result.answer).toContain(`[${source.n}]`);
  });

  it('rejects a question over the length limit, naming the limit', async () => {
    const run = await runCliInProcess(['ask', 'a'.repeat(1500)], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/1,?000/);
  });
});

describe('paperbot ask against an OpenAI-compatible server', () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAIServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('streams a model answer and prints its sources (two variables set)', async () => {
    const run = await runCliInProcess(['ask', 'how does VideoMAE V2 scale video masked autoencoders?'], {
      env: { ...env, OPENAI_BASE_URL: server.baseURL, CHAT_MODEL: 'fake-model' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/According to \[1\]/);
    expect(run.stdout).toMatch(/Sources:\n\s+\[1\] VideoMAE V2/);
    const request = server.chatRequests().at(-1)!;
    expect(request.body?.stream).toBe(true);
  });

  it('falls back to the extractive answer with a note when the model server fails', async () => {
    server.enqueue({ kind: 'status', status: 500 });
    server.enqueue({ kind: 'status', status: 500 });
    const run = await runCliInProcess(['ask', 'how does VideoMAE V2 scale video masked autoencoders?', '--json'], {
      env: { ...env, OPENAI_BASE_URL: server.baseURL, OPENAI_MAX_RETRIES: '1' },
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { mode: string; notice: string; sources: unknown[] };
    expect(result.mode).toBe('extractive');
    expect(result.notice).toMatch(/unavailable/i);
    expect(result.sources.length).toBeGreaterThan(0);
  });
});

describe('paperbot with an OpenAI-compatible embedding model', () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAIServer({ embeddingDimensions: 24 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses an index built by another embedder until --rebuild, then searches with the new one', async () => {
    const own = await makeIndexedDataDir();
    const offline = await runCliInProcess(['search', 'video masked autoencoders', '--json'], { env: { PAPERBOT_DATA_DIR: own } });
    expect(offline.code).toBe(0);
    const remoteEnv = { PAPERBOT_DATA_DIR: own, EMBEDDING_MODEL: 'fake-embedder', EMBEDDING_BASE_URL: server.baseURL, OPENAI_API_KEY: 'test-key' };
    const mismatch = await runCliInProcess(['search', 'video masked autoencoders'], { env: remoteEnv });
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/paperbot ingest --rebuild/);
    expect(mismatch.stderr).not.toMatch(/test-key/);
    const rebuilt = await runCliInProcess(['ingest', '--rebuild'], { env: remoteEnv });
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/Index rebuilt .*252 added/);
    const embedded = server.embeddingRequests().reduce((n, r) => n + ((r.body?.input as string[] | undefined)?.length ?? 0), 0);
    expect(embedded).toBeGreaterThanOrEqual(252);
    const search = await runCliInProcess(['search', 'video masked autoencoders', '--json'], { env: remoteEnv });
    expect(search.code).toBe(0);
    expect((JSON.parse(search.stdout) as { results: unknown[] }).results).toHaveLength(10);
  }, 90_000);
});

describe('paperbot ingest / papers / eval / chat', () => {
  it('ingests a JSON Lines file incrementally, reporting malformed records with file and line', async () => {
    const own = await makeIndexedDataDir();
    const ownEnv = { PAPERBOT_DATA_DIR: own };
    const file = path.join(own, 'extra.jsonl');
    await writeFile(
      file,
      [
        JSON.stringify({ title: 'Sparse Mixture of Cats for Feline Vision', abstract: 'We train a sparse mixture of experts on cat pictures. It recognises cats better than dense models of the same size.', url: 'https://example.org/cats' }),
        '{"title": "broken',
        JSON.stringify({ title: 'A Paper Without an Abstract' }),
      ].join('\n') + '\n',
    );
    const first = await runCliInProcess(['ingest', file], { env: ownEnv });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/extra\.jsonl:2/);
    expect(first.stderr).toMatch(/extra\.jsonl:3/);
    expect(first.stdout).toMatch(/253 papers/);
    const again = await runCliInProcess(['ingest'], { env: ownEnv });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 added, 0 updated, 253 unchanged/);
    const papers = await runCliInProcess(['papers', '--json'], { env: ownEnv });
    const titles = papers.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { title: string }).title);
    expect(titles).toContain('Sparse Mixture of Cats for Feline Vision');
    expect(titles).toHaveLength(253);
    const search = await runCliInProcess(['search', 'sparse mixture of experts for cat pictures', '--json', '--k', '1'], { env: ownEnv });
    expect((JSON.parse(search.stdout) as { results: { url: string }[] }).results[0]!.url).toBe('https://example.org/cats');
  }, 90_000);

  it('refuses to ingest a file in an unknown format', async () => {
    const file = path.join(dataDir, 'papers.csv');
    await writeFile(file, 'title,abstract\n');
    const run = await runCliInProcess(['ingest', file], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/papers\.csv/);
    expect(run.stderr).toMatch(/--format/);
  });

  it('evaluates retrieval on the bundled dev questions', async () => {
    const run = await runCliInProcess(['eval', '--json'], { env });
    expect(run.code).toBe(0);
    const metrics = JSON.parse(run.stdout) as { count: number; r1: number; r5: number; mrr: number; allInTop10: number };
    const devLines = (await readFile(path.join(PROJECT_DIR, 'data', 'eval', 'dev-questions.jsonl'), 'utf8')).trim().split('\n');
    expect(metrics.count).toBe(devLines.length);
    expect(metrics.r5).toBe(1);
    expect(metrics.r1).toBeGreaterThanOrEqual(0.95);
  });

  it('chats with follow-ups, /sources and /reset, and leaves on end of input', async () => {
    const run = await runCliInProcess(['chat'], {
      env,
      input: 'which LLM handles speech with discrete units?\n/sources\n/reset\n/sources\n',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/SpeechGPT/);
    expect(run.stdout).toMatch(/Conversation cleared\./);
    expect(run.stdout).toMatch(/No sources yet/);
    expect(run.stdout).toMatch(/Bye\./);
  });
});
