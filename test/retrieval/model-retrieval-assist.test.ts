import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaperbot } from '../../src/app/create-paperbot.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createOpenAIChatModel } from '../../src/model/openai-chat-model.js';
import { loadPrompts, type Prompts } from '../../src/prompts/load-prompts.js';
import { createModelRetrievalAssist, type RetrievalAssistMode } from '../../src/retrieval/model-retrieval-assist.js';
import { startFakeOpenAIServer, type FakeChatRequest, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { buildTestRetrieval, type TestRetrievalSetup } from '../support/build-test-searcher.js';
import { makeIndexedDataDir } from '../support/indexed-data-dir.js';
import { TEST_PROJECT_ROOT } from '../support/load-test-corpus.js';

const QUESTION = 'How can old skills survive when a network keeps learning new tasks?';
const VIMA = 'VIMA: General Robot Manipulation with Multimodal Prompts';

let server: FakeOpenAIServer;
let setup: TestRetrievalSetup;
let prompts: Prompts;
beforeAll(async () => {
  [server, setup, prompts] = await Promise.all([startFakeOpenAIServer(), buildTestRetrieval(), loadPrompts(path.join(TEST_PROJECT_ROOT, 'prompts'))]);
});
afterAll(async () => {
  await server.close();
});

function assisted(mode: Exclude<RetrievalAssistMode, 'off'>, timeoutMs = 2_000) {
  const model = createOpenAIChatModel({ baseURL: server.baseURL, apiKey: 'test-key', model: 'fake-model', timeoutMs, maxRetries: 0 });
  return setup.makeSearcher(undefined, { assist: createModelRetrievalAssist({ model, prompts, mode }) });
}
const titles = async (searcher: { search(q: string, o?: { k?: number }): Promise<{ hits: { paper: { title: string } }[] }> }, k = 10) =>
  (await searcher.search(QUESTION, { k })).hits.map((h) => h.paper.title);
/** The numbered papers of a rerank prompt, in order. */
const rerankPapers = (req: FakeChatRequest) => [...req.prompt.matchAll(/^\[(\d+)\] (.+)$/gm)].map((m) => m[2]!);

describe('RETRIEVAL_ASSIST=rerank (fake OpenAI server, real openai client)', () => {
  it('sends the top 30 fused candidates in one call and puts the paper the model scores highest first', async () => {
    server.reset();
    const fused = await titles(setup.makeSearcher(), 30);
    let sent: string[] = [];
    server.enqueue({
      kind: 'reply',
      text: (req) => {
        sent = rerankPapers(req);
        return JSON.stringify({ scores: sent.map((t) => (t === fused[7] ? 10 : t === fused[3] ? 8 : 1)) });
      },
    });
    const out = await titles(assisted('rerank'));
    expect(server.chatRequests()).toHaveLength(1);
    expect(sent).toEqual(fused);
    expect(out.slice(0, 3)).toEqual([fused[7], fused[3], fused[0]]);
  });

  it.each([
    ['a server error', { kind: 'status', status: 500 } as const],
    ['a reply that is not JSON', { kind: 'reply', text: 'Paper 3 is the best one.' } as const],
    ['the wrong number of scores', { kind: 'reply', text: '{"scores": [9, 1]}' } as const],
    ['scores out of range', { kind: 'reply', text: `{"scores": [${Array(30).fill(11).join(',')}]}` } as const],
    ['all scores equal', { kind: 'reply', text: `{"scores": [${Array(30).fill(5).join(',')}]}` } as const],
    ['JSON inside prose and fences, equal scores', { kind: 'reply', text: `Sure:\n\`\`\`json\n{"scores": [${Array(30).fill(0).join(',')}]}\n\`\`\`` } as const],
  ])('keeps the fused order after %s', async (_label, behavior) => {
    server.reset();
    server.enqueue(behavior);
    expect(await titles(assisted('rerank'))).toEqual(await titles(setup.makeSearcher()));
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('keeps the fused order when the model does not answer in time', async () => {
    server.reset();
    server.enqueue({ kind: 'hang' });
    expect(await titles(assisted('rerank', 100))).toEqual(await titles(setup.makeSearcher()));
    expect(server.chatRequests()).toHaveLength(1);
  });
});

describe('RETRIEVAL_ASSIST=rewrite', () => {
  it('searches the model’s abstract-like passage next to the question: a paper only the passage matches joins the results', async () => {
    server.reset();
    expect(await titles(setup.makeSearcher(), 10)).not.toContain(VIMA);
    server.enqueue({ kind: 'reply', text: 'We present VIMA, general robot manipulation with multimodal prompts interleaving textual and visual tokens.' });
    const response = await assisted('rewrite').search(QUESTION, { k: 10 });
    const hit = response.hits.find((h) => h.paper.title === VIMA);
    expect(hit).toBeDefined();
    // Relevance is judged on the user's words: the passage alone does not make VIMA relevant.
    expect(hit!.relevant).toBe(false);
    const request = server.chatRequests()[0]!.body as { messages: { content: string }[] };
    expect(request.messages[0]!.content).toContain(QUESTION);
  });

  it.each([
    ['a server error', { kind: 'status', status: 503 } as const],
    ['an empty reply', { kind: 'reply', text: '   ' } as const],
  ])('searches the question alone after %s', async (_label, behavior) => {
    server.reset();
    server.enqueue(behavior);
    expect(await titles(assisted('rewrite'))).toEqual(await titles(setup.makeSearcher()));
  });
});

describe('RETRIEVAL_ASSIST through the configuration and createPaperbot', () => {
  it('parses off (default), rewrite, rerank and both; a bad value names the variable', () => {
    expect(loadConfig({}).retrieval.assist).toBe('off');
    for (const mode of ['rewrite', 'rerank', 'both'] as const) expect(loadConfig({ RETRIEVAL_ASSIST: mode }).retrieval.assist).toBe(mode);
    expect(() => loadConfig({ RETRIEVAL_ASSIST: 'always' })).toThrow(ConfigError);
    expect(() => loadConfig({ RETRIEVAL_ASSIST: 'always' })).toThrow(/RETRIEVAL_ASSIST/);
  });

  it('makes two model calls per search with "both", none with "off"', async () => {
    // The run's built index (a copy): this test is about the model calls, not about building an index.
    const dataDir = await makeIndexedDataDir();
    try {
      const env = { PAPERBOT_DATA_DIR: dataDir, OPENAI_BASE_URL: server.baseURL, OPENAI_MAX_RETRIES: '0', LOG_LEVEL: 'silent' };
      const off = await createPaperbot(loadConfig(env));
      server.reset();
      await off.search(QUESTION);
      expect(server.chatRequests()).toHaveLength(0);
      await off.close();
      const both = await createPaperbot(loadConfig({ ...env, RETRIEVAL_ASSIST: 'both' }));
      server.reset();
      server.setDefault({ kind: 'reply', text: (req) => (req.prompt.includes('"scores"') ? JSON.stringify({ scores: rerankPapers(req).map(() => 5) }) : 'A passage about continual learning.') });
      const response = await both.search(QUESTION);
      expect(response.hits.length).toBe(10);
      expect(server.chatRequests()).toHaveLength(2);
      await both.close();
    } finally {
      server.setDefault({ kind: 'reply' });
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
