import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChatModel } from '../../src/model/chat-model.js';
import { ModelUnavailableError } from '../../src/model/chat-model.js';
import { createPrompts } from '../../src/prompts/load-prompts.js';
import { askModelJson } from '../../src/verify/ask-model-json.js';
import { checkClaims } from '../../src/verify/check-claims.js';
import { claimSourcesOf, createClaimVerifier } from '../../src/verify/create-claim-verifier.js';
import { formatSentenceSources, numberSentences, resolveSentenceRef } from '../../src/verify/numbered-sentences.js';
import { ModelReplyError, parseModelJson } from '../../src/verify/parse-model-json.js';
import { makePaper } from '../answer/answer-fakes.js';

const schema = z.object({ ok: z.boolean() });

describe('parseModelJson', () => {
  it('reads a bare object, one inside a code fence, or one with prose around it', () => {
    expect(parseModelJson('{"ok": true}', schema)).toEqual({ ok: true });
    expect(parseModelJson('```json\n{"ok": false}\n```', schema)).toEqual({ ok: false });
    expect(parseModelJson('Sure! {"ok": true} Hope that helps.', schema)).toEqual({ ok: true });
  });

  it('rejects no object, invalid JSON and the wrong shape with a short reason', () => {
    expect(() => parseModelJson('no json here', schema)).toThrow(new ModelReplyError('the reply holds no JSON object'));
    expect(() => parseModelJson('{"ok": tru', schema)).toThrow(new ModelReplyError('the reply is not valid JSON'));
    expect(() => parseModelJson('{"ok": "yes"}', schema)).toThrow(/expected shape \(ok: /);
  });
});

describe('numbered sentences', () => {
  const source = numberSentences(2, { title: 'A <b> title', abstract: 'First sentence. Second one, e.g. this.' });

  it('numbers every sentence and formats them as escaped prompt data', () => {
    expect(source.sentences).toEqual([
      { k: 1, text: 'First sentence.' },
      { k: 2, text: 'Second one, e.g. this.' },
    ]);
    expect(formatSentenceSources([source])).toBe('[2] Title: A &lt;b&gt; title\n[2.1] First sentence.\n[2.2] Second one, e.g. this.');
  });

  it('resolves "2.1" or "[2.2]" only within the allowed sources', () => {
    expect(resolveSentenceRef('2.1', [source], [2])).toBe('First sentence.');
    expect(resolveSentenceRef(' [2.2] ', [source], [1, 2])).toBe('Second one, e.g. this.');
    expect(resolveSentenceRef('2.1', [source], [1])).toBeUndefined();
    expect(resolveSentenceRef('2.9', [source], [2])).toBeUndefined();
    expect(resolveSentenceRef('sentence two', [source], [2])).toBeUndefined();
  });
});

describe('askModelJson', () => {
  const failing = (error: unknown): ChatModel => ({ id: 'fake', complete: () => Promise.reject(error) });

  it('turns a model outage or an unexpected error into a fallback reason', async () => {
    expect(await askModelJson(failing(new ModelUnavailableError('model server returned 503')), 'p', schema, { timeoutMs: 1000, maxTokens: 10 })).toEqual({ ok: false, reason: 'model server returned 503' });
    expect(await askModelJson(failing(new TypeError('boom')), 'p', schema, { timeoutMs: 1000, maxTokens: 10 })).toEqual({ ok: false, reason: 'the model call failed unexpectedly' });
  });

  it('gives up when the model does not answer in time', async () => {
    const waitsForAbort: ChatModel = {
      id: 'fake',
      complete: (_messages, options) => new Promise((_resolve, reject) => options?.signal?.addEventListener('abort', () => reject(options.signal!.reason))),
    };
    expect(await askModelJson(waitsForAbort, 'p', schema, { timeoutMs: 5, maxTokens: 10 })).toEqual({ ok: false, reason: 'the model did not reply within 5 ms' });
  });
});

describe('createClaimVerifier and claimSourcesOf', () => {
  const paper = makePaper('Learning to Prompt', 'Our method learns to prompt a pre-trained model. Prompts are kept in a memory space.');

  it('is the offline scorer without a model, and asks the model when there is one', async () => {
    expect(createClaimVerifier().kind).toBe('offline');
    const calls: string[] = [];
    const model: ChatModel = {
      id: 'fake',
      async complete(messages) {
        calls.push(messages[0]!.content);
        return { text: '{"claims": [{"id": 1, "verdict": "supported", "evidence": "1.2"}]}', usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, model: 'fake' };
      },
    };
    const prompts = createPrompts({ system: '', ask: '{{sources}}{{history}}{{question}}', compare: '{{sources}}{{history}}{{question}}', summarize: '{{sources}}{{history}}{{topic}}', 'condense-question': '{{history}}{{question}}', 'verify-claims': '{{sources}}\n{{claims}}', consensus: '{{claim}}{{sources}}', 'retrieval-rewrite': '{{question}}', 'retrieval-rerank': '{{question}}{{count}}{{papers}}', catchup: '{{exchanges}}' });
    const check = await checkClaims('Prompts live in memory [1].', claimSourcesOf([{ n: 1, id: paper.id }, { n: 2, id: 'gone' }], [paper]), createClaimVerifier({ model, prompts }));
    expect(calls).toHaveLength(1);
    expect(check.verifiedBy).toBe('model');
    expect(check.claims[0]).toMatchObject({ supported: true, evidence: 'Prompts are kept in a memory space.' });
    expect(() => createClaimVerifier({ model })).toThrow(/needs the prompts/);
  });
});
