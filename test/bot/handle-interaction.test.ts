import { DiscordAPIError, MessageFlags } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { BotCommand } from '../../src/bot/bot-context.js';
import { allCommands } from '../../commands/index.js';
import { SUGGEST_INPUT_CHARS } from '../../src/answer/resolve-paper.js';
import { AUTOCOMPLETE_STALE_MS, createInteractionHandler } from '../../src/bot/handle-interaction.js';
import { createWorkTracker } from '../../src/bot/work-tracker.js';
import { GENERIC_APOLOGY, UserFacingError } from '../../src/errors.js';
import { createFakePaperbot, fakePaper } from '../support/fake-paperbot.js';
import { fakeAutocomplete, fakeButton, fakeCommand, testContext, type RecordedCall } from './fake-interactions.js';

function command(overrides: Partial<BotCommand> & Pick<BotCommand, 'execute'>): BotCommand {
  return { data: { name: 'test', toJSON: () => ({ name: 'test', description: 't' }) }, defer: 'public', ...overrides };
}

function setup(commands?: Map<string, BotCommand>, ctxOptions?: Parameters<typeof testContext>[0]) {
  const ctx = testContext(ctxOptions);
  const tracker = createWorkTracker();
  const handle = createInteractionHandler({ commands: commands ?? allCommands(), ctx, tracker });
  return { ctx, tracker, handle };
}

/** Every call that sends something carries allowedMentions.parse = []. */
function expectNoMentions(calls: RecordedCall[]): void {
  for (const call of calls) {
    if (call.method === 'deferReply' || call.method === 'respond' || call.method === 'rest.post') continue;
    expect(call.payload.allowedMentions, `${call.method} ${JSON.stringify(call.payload).slice(0, 80)}`).toEqual({ parse: [] });
  }
}

const ephemeral = (call: RecordedCall | undefined) => Boolean(call && (call.payload.flags & MessageFlags.Ephemeral) === MessageFlags.Ephemeral);

describe('error recovery in the central handler', () => {
  it('a command that throws before deferring is still answered (ephemeral apology)', async () => {
    const { handle } = setup(new Map([['test', command({ defer: 'none', execute: async () => { throw new Error('boom'); } })]]));
    const { interaction, calls } = fakeCommand({ name: 'test' });
    await handle(interaction);
    expect(calls.map((c) => c.method)).toEqual(['reply']);
    expect(calls[0]!.payload.content).toBe(GENERIC_APOLOGY);
    expect(ephemeral(calls[0])).toBe(true);
    expectNoMentions(calls);
  });

  it('a validation error is shown as its own message, ephemeral, before any acknowledgement', async () => {
    const { handle } = setup(new Map([['test', command({ parse: () => { throw new UserFacingError('empty-input', 'Bad input, try X.'); }, execute: async () => undefined })]]));
    const { interaction, calls } = fakeCommand({ name: 'test' });
    await handle(interaction);
    expect(calls.map((c) => c.method)).toEqual(['reply']);
    expect(calls[0]!.payload.content).toBe('Bad input, try X.');
    expect(ephemeral(calls[0])).toBe(true);
  });

  it('after deferring, the deferred reply is edited with the error', async () => {
    const { handle } = setup(new Map([['test', command({ execute: async () => { throw new UserFacingError('unknown-paper', 'No paper matches.'); } })]]));
    const { interaction, calls } = fakeCommand({ name: 'test' });
    await handle(interaction);
    expect(calls.map((c) => c.method)).toEqual(['deferReply', 'editReply']);
    expect(calls[1]!.payload).toMatchObject({ content: 'No paper matches.', embeds: [], components: [] });
    expectNoMentions(calls);
  });

  it('after a reply was sent, the error goes in an ephemeral follow-up', async () => {
    const { handle } = setup(
      new Map([['test', command({ defer: 'none', execute: async (i) => { await i.reply({ content: 'partial', allowedMentions: { parse: [] } }); throw new Error('later'); } })]]),
    );
    const { interaction, calls } = fakeCommand({ name: 'test' });
    await handle(interaction);
    expect(calls.map((c) => c.method)).toEqual(['reply', 'followUp']);
    expect(calls[1]!.payload.content).toBe(GENERIC_APOLOGY);
    expect(ephemeral(calls[1])).toBe(true);
  });

  it('survives the error reply itself failing', async () => {
    const { handle } = setup(new Map([['test', command({ defer: 'none', execute: async () => { throw new Error('boom'); } })]]));
    const { interaction } = fakeCommand({ name: 'test', fail: { reply: new Error('Unknown interaction') } });
    await expect(handle(interaction)).resolves.toBeUndefined();
  });

  it('unknown commands get an ephemeral explanation', async () => {
    const { handle } = setup(new Map());
    const { interaction, calls } = fakeCommand({ name: 'nope' });
    await handle(interaction);
    expect(calls[0]!.payload.content).toMatch(/Unknown command \/nope/);
  });

  it('while shutting down, new commands are turned away', async () => {
    const { handle, tracker } = setup();
    await tracker.drain(10);
    const { interaction, calls } = fakeCommand({ name: 'help' });
    await handle(interaction);
    expect(calls[0]!.payload.content).toMatch(/restarting/);
  });
});

describe('/ask', () => {
  it('defers before calling the model, streams, then shows the answer with sources and feedback buttons', async () => {
    const paperbot = createFakePaperbot({ tokens: ['Speculative ', 'decoding ', 'drafts [1].'] });
    const { handle, ctx } = setup(undefined, { paperbot });
    const { interaction, calls } = fakeCommand({ name: 'ask', options: { question: 'What is speculative decoding?' } });
    await handle(interaction);
    expect(calls[0]!.method).toBe('deferReply');
    expect(ephemeral(calls[0])).toBe(false);
    const edits = calls.filter((c) => c.method === 'editReply');
    expect(edits[0]!.payload.embeds[0].description).toContain('Speculative');
    const final = edits.at(-1)!.payload;
    expect(final.embeds[0].title).toBe('What is speculative decoding?');
    expect(final.embeds[0].fields[0].value).toContain('https://papers.example/videomae-v2');
    expect(final.components[0].components.map((b: { custom_id: string }) => b.custom_id.split(':').slice(0, -1).join(':'))).toEqual(['feedback:up', 'feedback:down', 'sources', 'catchup']);
    expect(paperbot.calls.find((c) => c.kind === 'ask')?.input).toEqual(['What is speculative decoding?']);
    expectNoMentions(calls);
    // a thread was started from the reply, named after the question, and remembered with both turns
    const threadCall = calls.find((c) => c.method === 'rest.post');
    expect(threadCall?.payload.route).toBe('/channels/700000000000000001/messages/500000000000000001/threads');
    expect(threadCall?.payload.body.name).toBe('What is speculative decoding?');
    expect(await ctx.threads.isBotThread('600000000000000001')).toBe(true);
    expect((await ctx.threads.recentTurns('600000000000000001', 10)).map((t) => t.role)).toEqual(['user', 'assistant']);
  });

  it('a too-long question is an ephemeral error and never reaches the model', async () => {
    const { handle, ctx } = setup(undefined, { env: { MAX_QUESTION_CHARS: '50' } });
    const { interaction, calls } = fakeCommand({ name: 'ask', options: { question: 'x'.repeat(51) } });
    await handle(interaction);
    expect(calls.map((c) => c.method)).toEqual(['reply']);
    expect(ephemeral(calls[0])).toBe(true);
    expect(calls[0]!.payload.content).toMatch(/too long.*50/);
    expect(ctx.paperbot.calls).toEqual([]);
  });

  it('counts characters as the CLI does: 600 emoji are 600 characters, within a 1,000 limit', async () => {
    const { handle, ctx } = setup();
    const question = '🧪'.repeat(600);
    expect(question.length).toBe(1_200);
    const { interaction, calls } = fakeCommand({ name: 'ask', options: { question } });
    await handle(interaction);
    expect(calls[0]!.method).toBe('deferReply');
    expect(ctx.paperbot.calls.find((c) => c.kind === 'ask')?.input).toEqual([question]);
  });

  it('a question of only zero-width characters is an ephemeral error; nothing public, the core is not asked', async () => {
    const { handle, ctx } = setup();
    const { interaction, calls } = fakeCommand({ name: 'ask', options: { question: '\u200b\u200c\u200d\u2060\ufeff' } });
    await handle(interaction);
    expect(calls.map((c) => c.method)).toEqual(['reply']);
    expect(ephemeral(calls[0])).toBe(true);
    expect(calls[0]!.payload.content).toMatch(/empty/);
    expect(ctx.paperbot.calls).toEqual([]);
  });

  it('RTL overrides, zero-width and control characters never reach the embed title or the thread name', async () => {
    const { handle, ctx } = setup();
    const { interaction, calls } = fakeCommand({ name: 'ask', options: { question: 'What is \u202eAROL\u202c\u200b about?\u0007' } });
    await handle(interaction);
    const title: string = calls.filter((c) => c.method === 'editReply').at(-1)!.payload.embeds[0].title;
    const threadName: string = calls.find((c) => c.method === 'rest.post')!.payload.body.name;
    for (const text of [title, threadName, ctx.paperbot.calls[0]!.input[0]!]) {
      expect(text).toBe('What is AROL about?');
    }
  });

  it('a second question within the cooldown gets "please wait N s", ephemeral', async () => {
    const { handle, ctx } = setup();
    await handle(fakeCommand({ name: 'ask', options: { question: 'first?' } }).interaction);
    ctx.clock.advance(3_000);
    const second = fakeCommand({ name: 'ask', options: { question: 'second?' } });
    await handle(second.interaction);
    expect(second.calls.map((c) => c.method)).toEqual(['reply']);
    expect(second.calls[0]!.payload.content).toBe('Please wait 7 s before asking again.');
    expect(ephemeral(second.calls[0])).toBe(true);
    // another user is not affected
    const other = fakeCommand({ name: 'ask', options: { question: 'mine?' }, userId: '900000000000000002' });
    await handle(other.interaction);
    expect(other.calls[0]!.method).toBe('deferReply');
  });

  it('a failed question does not use up the cooldown', async () => {
    const paperbot = createFakePaperbot({ answer: () => { throw new Error('model exploded'); } });
    const { handle } = setup(undefined, { paperbot });
    const first = fakeCommand({ name: 'ask', options: { question: 'q?' } });
    await handle(first.interaction);
    expect(first.calls.at(-1)!.payload.content).toBe(GENERIC_APOLOGY);
    const again = fakeCommand({ name: 'ask', options: { question: 'q?' } });
    await handle(again.interaction);
    expect(again.calls[0]!.method).toBe('deferReply');
  });

  it('when the model queue is full, tells the user their place in line first', async () => {
    const paperbot = createFakePaperbot({ queue: { running: 4, waiting: 2, concurrency: 4 } });
    const { handle } = setup(undefined, { paperbot });
    const { interaction, calls } = fakeCommand({ name: 'ask', options: { question: 'q?' } });
    await handle(interaction);
    const edits = calls.filter((c) => c.method === 'editReply');
    expect(edits[0]!.payload.content).toMatch(/you are number 3 in line/);
    expect(edits.at(-1)!.payload.content).toBe('');
    expect(edits.at(-1)!.payload.embeds.length).toBeGreaterThan(0);
  });

  it('without permission to create threads (50013) it answers inline and says so', async () => {
    const denied = new DiscordAPIError({ code: 50013, message: 'Missing Permissions' }, 50013, 403, 'POST', '/channels/x/messages/y/threads', {});
    const { handle, ctx } = setup();
    const { interaction, calls } = fakeCommand({ name: 'ask', options: { question: 'q?' }, createThread: async () => { throw denied; } });
    await handle(interaction);
    const note = calls.at(-1)!;
    expect(note.method).toBe('followUp');
    expect(ephemeral(note)).toBe(true);
    expect(note.payload.content).toMatch(/couldn't start a thread/);
    // the thread recorded under the reply's id before asking Discord is forgotten again
    expect(await ctx.threads.isBotThread('500000000000000001')).toBe(false);
  });

  it('inside a thread, or in a DM, answers inline without trying to start a thread', async () => {
    const { handle } = setup();
    const inThread = fakeCommand({ name: 'ask', options: { question: 'q?' }, channelType: 11 });
    await handle(inThread.interaction);
    expect(inThread.calls.some((c) => c.method === 'rest.post')).toBe(false);
    const dm = fakeCommand({ name: 'ask', options: { question: 'q?' }, guild: false, userId: '900000000000000009' });
    await handle(dm.interaction);
    expect(dm.calls.some((c) => c.method === 'rest.post')).toBe(false);
    expect(dm.calls.at(-1)!.payload.embeds[0].description).toMatch(/Follow-up questions work in server channels/);
  });

  it('labels offline answers', async () => {
    const paperbot = createFakePaperbot({ llmEnabled: false });
    const { handle } = setup(undefined, { paperbot });
    const { interaction, calls } = fakeCommand({ name: 'ask', options: { question: 'q?' } });
    await handle(interaction);
    expect(calls.filter((c) => c.method === 'editReply').at(-1)!.payload.embeds[0].description).toMatch(/^\*Offline answer/);
  });

  it('model output trying to ping @everyone is sent with no mentions parsed', async () => {
    const paperbot = createFakePaperbot({ answer: () => ({ answer: '@everyone <@&1234> look [1]', sources: [], mode: 'llm', refused: false, usage: null }) });
    const { handle } = setup(undefined, { paperbot });
    const { interaction, calls } = fakeCommand({ name: 'ask', options: { question: '@here ping' } });
    await handle(interaction);
    expect(calls.length).toBeGreaterThan(1);
    expectNoMentions(calls);
  });
});

describe('other commands', () => {
  it('/search defers at once and lists papers without the model', async () => {
    const { handle, ctx } = setup();
    const { interaction, calls } = fakeCommand({ name: 'search', options: { query: 'video diffusion' } });
    await handle(interaction);
    expect(calls[0]!.method).toBe('deferReply');
    expect(calls[1]!.payload.embeds[0].description).toContain('Video Diffusion Models');
    expect(ctx.paperbot.calls.map((c) => c.kind)).toEqual(['search']);
    expectNoMentions(calls);
  });

  it('/compare resolves both papers first: an unknown one is an ephemeral error without deferring', async () => {
    const { handle } = setup();
    const { interaction, calls } = fakeCommand({ name: 'compare', options: { paper_a: 'lora', paper_b: 'zzzz qqqq' } });
    await handle(interaction);
    expect(calls.map((c) => c.method)).toEqual(['reply']);
    expect(calls[0]!.payload.content).toMatch(/No paper matches/);
  });

  it('/compare checks paper names against the core limit (300), ephemeral, before deferring', async () => {
    const { handle, ctx } = setup();
    const long = `LoRA: Low-Rank Adaptation of Large Language Models ${'and more '.repeat(40)}`.trim();
    expect(long.length).toBeGreaterThan(300);
    expect(long.length).toBeLessThan(ctx.config.answer.maxQuestionChars);
    const { interaction, calls } = fakeCommand({ name: 'compare', options: { paper_a: long, paper_b: 'speculative-decoding' } });
    await handle(interaction);
    expect(calls.map((c) => c.method)).toEqual(['reply']);
    expect(ephemeral(calls[0])).toBe(true);
    expect(calls[0]!.payload.content).toMatch(/too long.*limit is 300/);
    expect(ctx.paperbot.calls.filter((c) => c.kind === 'compare')).toHaveLength(0);
  });

  it('/compare resolves each paper once (parsed before acknowledging, passed on) and gives the ids to the core', async () => {
    const { handle, ctx } = setup();
    await handle(fakeCommand({ name: 'compare', options: { paper_a: 'lora', paper_b: 'speculative-decoding' } }).interaction);
    expect(ctx.paperbot.calls.filter((c) => c.kind === 'resolve').map((c) => c.input[0])).toEqual(['lora', 'speculative-decoding']);
    expect(ctx.paperbot.calls.find((c) => c.kind === 'compare')?.input).toEqual(['lora', 'speculative-decoding']);
  });

  it('/paper resolves the name before acknowledging, then shows the whole paper', async () => {
    const { handle } = setup();
    const { interaction, calls } = fakeCommand({ name: 'paper', options: { paper: 'lora' } });
    await handle(interaction);
    expect(calls.map((c) => c.method)).toEqual(['deferReply', 'editReply']);
    expect(ephemeral(calls[0])).toBe(false);
    expect(calls[1]!.payload.embeds[0].title).toMatch(/^LoRA/);
    expect(calls[1]!.payload.embeds[0].description.length).toBeGreaterThan(50);
  });

  it('/help answers ephemerally', async () => {
    const { handle } = setup();
    const { interaction, calls } = fakeCommand({ name: 'help' });
    await handle(interaction);
    expect(ephemeral(calls[0])).toBe(true);
    expect(calls[0]!.payload.embeds[0].description).toMatch(/\/ask/);
  });
});

describe('/digest admin check', () => {
  it('refuses members without Manage Server, ephemeral, before doing anything', async () => {
    const { handle } = setup();
    const { interaction, calls } = fakeCommand({ name: 'digest', subcommand: 'now', admin: false });
    await handle(interaction);
    expect(calls.map((c) => c.method)).toEqual(['reply']);
    expect(ephemeral(calls[0])).toBe(true);
    expect(calls[0]!.payload.content).toMatch(/Manage Server/);
  });

  it('lets admins post a digest now (ephemeral confirmation)', async () => {
    const { handle } = setup();
    const { interaction, calls } = fakeCommand({ name: 'digest', subcommand: 'now', admin: true });
    await handle(interaction);
    expect(calls[0]!.method).toBe('deferReply');
    expect(ephemeral(calls[0])).toBe(true);
    expect(calls[1]!.payload.content).toMatch(/Posted the digest on “agents”/);
  });

  it('lets admins change topics, persisted', async () => {
    const { handle, ctx } = setup();
    await handle(fakeCommand({ name: 'digest', subcommand: 'topics', admin: true, options: { topics: 'robots; agents' } }).interaction);
    expect((await ctx.digest.settings()).topics).toEqual(['robots', 'agents']);
  });

  it('rejects a bad schedule with a helpful message', async () => {
    const { handle } = setup();
    const { interaction, calls } = fakeCommand({ name: 'digest', subcommand: 'schedule', admin: true, options: { cron: 'every monday' } });
    await handle(interaction);
    expect(calls.at(-1)!.payload.content).toMatch(/Invalid schedule/);
  });

  it('refuses digest changes from a server other than the one owning the digest channel (ephemeral); the owner may', async () => {
    const { handle, ctx } = setup();
    const other = { '111111111111111111': '800000000000000999' }; // the digest channel is in another server
    const attempts = [
      { subcommand: 'now' },
      { subcommand: 'channel', options: { channel: '222222222222222222' } },
      { subcommand: 'topics', options: { topics: 'robots' } },
      { subcommand: 'schedule', options: { cron: '0 10 * * 2' } },
    ];
    for (const attempt of attempts) {
      const { interaction, calls } = fakeCommand({ name: 'digest', admin: true, channelGuilds: other, ...attempt });
      await handle(interaction);
      expect(ephemeral(calls[0]), attempt.subcommand).toBe(true);
      expect(calls.at(-1)!.payload.content, attempt.subcommand).toMatch(/another server/);
    }
    expect(await ctx.digest.settings()).toMatchObject({ channelId: '111111111111111111', topics: ['agents'], cron: ctx.config.digest.cron });
    expect(ctx.paperbot.calls.filter((c) => c.kind === 'summarize')).toHaveLength(0);
    // Showing the settings is still allowed; the owning server may change them.
    const show = fakeCommand({ name: 'digest', subcommand: 'topics', admin: true, channelGuilds: other });
    await handle(show.interaction);
    expect(show.calls.at(-1)!.payload.content).toMatch(/\*\*Topics\*\*/);
    const own = { '111111111111111111': '800000000000000001' };
    await handle(fakeCommand({ name: 'digest', subcommand: 'topics', admin: true, channelGuilds: own, options: { topics: 'robots' } }).interaction);
    expect((await ctx.digest.settings()).topics).toEqual(['robots']);
  });

  it('with DISCORD_GUILD_ID set, only that server may change the digest', async () => {
    const { handle, ctx } = setup(undefined, { env: { DISCORD_GUILD_ID: '800000000000000555' } });
    const { interaction, calls } = fakeCommand({ name: 'digest', subcommand: 'topics', admin: true, options: { topics: 'robots' } });
    await handle(interaction);
    expect(calls.at(-1)!.payload.content).toMatch(/another server/);
    expect((await ctx.digest.settings()).topics).toEqual(['agents']);
  });

  it('the command is registered for Manage Server members only, in guilds', () => {
    const json = allCommands().get('digest')!.data.toJSON();
    expect(json.default_member_permissions).toBe('32'); // ManageGuild = 1 << 5
    expect(json.contexts).toEqual([0]);
  });
});

describe('autocomplete', () => {
  it('offers at most 25 choices, names ≤ 100 chars, values = paper ids', async () => {
    const papers = Array.from({ length: 60 }, (_, i) => fakePaper(`paper-${i}`, `Transformers ${'and more words '.repeat(12)}${i}`));
    const { handle } = setup(undefined, { paperbot: createFakePaperbot({ papers }) });
    for (const name of ['compare', 'paper']) {
      const { interaction, calls } = fakeAutocomplete(name, 'transformers');
      await handle(interaction);
      const choices = calls[0]!.payload as { name: string; value: string }[];
      expect(choices).toHaveLength(25);
      for (const choice of choices) {
        expect(choice.name.length).toBeLessThanOrEqual(100);
        expect(choice.value).toMatch(/^paper-\d+$/);
      }
    }
  });

  it('empty input lists the first papers; a paper list that cannot be read answers with no choices', async () => {
    const paperbot = createFakePaperbot();
    const { handle } = setup(undefined, { paperbot });
    const empty = fakeAutocomplete('paper', '');
    await handle(empty.interaction);
    expect((empty.calls[0]!.payload as unknown[]).length).toBe(paperbot.papersList.length);
    paperbot.catalogue = async () => {
      throw new Error('index not ready');
    };
    const failing = fakeAutocomplete('paper', 'x');
    await handle(failing.interaction);
    expect(failing.calls[0]!.payload).toEqual([]);
  });
});

describe('autocomplete under hostile input', () => {
  it(`suggests from the first ${SUGGEST_INPUT_CHARS} characters of a 6,000-character input`, async () => {
    const { handle, ctx } = setup();
    const typed = `Video diffusion ${'models '.repeat(900)}`.slice(0, 6_000);
    const { interaction, calls } = fakeAutocomplete('paper', typed);
    await handle(interaction);
    const suggested = ctx.paperbot.calls.filter((c) => c.kind === 'suggest');
    expect(suggested).toHaveLength(1);
    expect(suggested[0]!.input[0]!.length).toBeLessThanOrEqual(SUGGEST_INPUT_CHARS);
    expect(typed.startsWith(suggested[0]!.input[0]!)).toBe(true);
    expect((calls[0]!.payload as { value: string }[])[0]!.value).toBe('diffusion-video');
  });

  it('drops an autocomplete Discord has already given up on, without matching', async () => {
    const { handle, ctx } = setup();
    const stale = fakeAutocomplete('paper', 'video', { createdTimestamp: ctx.clock.now() - AUTOCOMPLETE_STALE_MS - 1 });
    await handle(stale.interaction);
    expect(stale.calls).toEqual([]);
    const fresh = fakeAutocomplete('paper', 'video', { createdTimestamp: ctx.clock.now() - 100 });
    await handle(fresh.interaction);
    expect(fresh.calls.map((c) => c.method)).toEqual(['respond']);
    expect(ctx.paperbot.calls.filter((c) => c.kind === 'suggest')).toHaveLength(1);
  });

  it("answers only a user's newest autocomplete when older ones are still waiting; other users are not affected", async () => {
    const { handle, ctx } = setup();
    const older = fakeAutocomplete('paper', 'vid');
    const newer = fakeAutocomplete('paper', 'video diff');
    const other = fakeAutocomplete('compare', 'lora', { userId: '900000000000000002' });
    await Promise.all([handle(older.interaction), handle(newer.interaction), handle(other.interaction)]);
    expect(older.calls).toEqual([]);
    expect((newer.calls[0]!.payload as { value: string }[])[0]!.value).toBe('diffusion-video');
    expect((other.calls[0]!.payload as { value: string }[])[0]!.value).toBe('lora');
    expect(ctx.paperbot.calls.filter((c) => c.kind === 'suggest').map((c) => c.input[0])).toEqual(['video diff', 'lora']);
  });
});

describe('feedback buttons', () => {
  it('stores the vote; a second vote by the same user replaces the first', async () => {
    const { handle, ctx } = setup();
    const ask = fakeCommand({ name: 'ask', options: { question: 'Why LoRA?' } });
    await handle(ask.interaction);
    const customIds: string[] = ask.calls.filter((c) => c.method === 'editReply').at(-1)!.payload.components[0].components.map((b: { custom_id: string }) => b.custom_id);
    const up = fakeButton(customIds[0]!, '900000000000000005');
    await handle(up.interaction);
    expect(up.calls[0]!.payload.content).toMatch(/👍/);
    expect(ephemeral(up.calls[0])).toBe(true);
    await handle(fakeButton(customIds[1]!, '900000000000000005').interaction);
    const rows = await ctx.feedback.exportVotes();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ vote: 'down', userId: '900000000000000005', question: 'Why LoRA?' });
    expect(rows[0]!.sources.length).toBeGreaterThan(0);
  });
});
