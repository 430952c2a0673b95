import { createGapLog } from '../../src/gaps/gap-log.js';
import { PermissionFlagsBits, PermissionsBitField, type Interaction } from 'discord.js';
import { pino } from 'pino';
import type { BotContext } from '../../src/bot/bot-context.js';
import { createCooldown } from '../../src/bot/cooldown.js';
import { createEventLoopTurns } from '../../src/bot/event-loop-turns.js';
import { createDigestService } from '../../src/bot/digest/digest-service.js';
import { loadBotConfig } from '../../src/bot/load-bot-config.js';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';
import type { StateStores } from '../../src/state/state-stores.js';
import { createFakePaperbot, type FakePaperbot } from '../support/fake-paperbot.js';
import { FakeClock } from './fake-clock.js';

export interface RecordedCall {
  method: 'reply' | 'deferReply' | 'editReply' | 'followUp' | 'respond' | 'rest.post';
  payload: any;
}

/** A bot context over the fake paperbot, in-memory state stores and a fake clock; `state` holds all the stores. */
export function testContext(options: { paperbot?: FakePaperbot; env?: NodeJS.ProcessEnv } = {}): BotContext & { clock: FakeClock; paperbot: FakePaperbot; state: StateStores } {
  const config = loadBotConfig({ USER_COOLDOWN_SECONDS: '10', ...options.env });
  const paperbot = options.paperbot ?? createFakePaperbot();
  const state = openSqliteStateStores(':memory:');
  const clock = new FakeClock();
  const logger = pino({ level: 'silent' });
  const digest = createDigestService({
    paperbot,
    digests: state.digests,
    settings: state.settings,
    config: { ...config.digest, channelId: '111111111111111111', topics: ['agents'] },
    clock,
    logger,
    post: async () => 'posted-message',
    scheduler: () => ({ stop: () => undefined }),
  });
  return { paperbot, config, state, threads: state.threads, feedback: state.feedback, gaps: createGapLog({ store: state.gaps, retentionDays: 90, salt: undefined, now: () => clock.now() }), digest, watches: state.watches, cooldown: createCooldown(config.discord.userCooldownSeconds, { clock, store: state.cooldowns, logger }), clock, logger, streamEditIntervalMs: 1000, turns: createEventLoopTurns() };
}

export interface FakeCommandOptions {
  name: string;
  options?: Record<string, string | number | undefined>;
  subcommand?: string;
  userId?: string;
  admin?: boolean;
  guild?: boolean;
  channelType?: number;
  /** What POST /channels/…/threads does. */
  createThread?: (route: string, body: unknown) => Promise<unknown>;
  /** Make a method throw. */
  fail?: Partial<Record<RecordedCall['method'], Error>>;
  /** The guild of each channel `client.channels.fetch` knows (default: any channel is in the interaction's guild). */
  channelGuilds?: Record<string, string>;
}

let nextId = 1;

/** A chat-input interaction with the surface our handlers use; records every call. */
export function fakeCommand(opts: FakeCommandOptions): { interaction: Interaction; calls: RecordedCall[]; state: { deferred: boolean; replied: boolean } } {
  const calls: RecordedCall[] = [];
  const state = { deferred: false, replied: false };
  const guild = opts.guild ?? true;
  const userId = opts.userId ?? '900000000000000001';
  const record = (method: RecordedCall['method'], payload: unknown) => {
    calls.push({ method, payload });
    const failure = opts.fail?.[method];
    if (failure) throw failure;
  };
  const options = opts.options ?? {};
  const interaction = {
    id: String(nextId++),
    commandName: opts.name,
    user: { id: userId, username: 'ada', bot: false },
    member: guild ? { displayName: 'Ada' } : null,
    guildId: guild ? '800000000000000001' : null,
    channelId: '700000000000000001',
    channel: guild ? { type: opts.channelType ?? 0 } : { type: 1 },
    client: {
      channels: {
        fetch: async (id: string) => ({ id, guildId: opts.channelGuilds ? opts.channelGuilds[id] ?? null : '800000000000000001' }),
      },
      rest: {
        post: async (route: string, body: { body: unknown }) => {
          record('rest.post', { route, ...body });
          return opts.createThread ? opts.createThread(route, body.body) : { id: '600000000000000001' };
        },
      },
    },
    inGuild: () => guild,
    memberPermissions: guild ? new PermissionsBitField(opts.admin ? PermissionFlagsBits.ManageGuild : PermissionFlagsBits.SendMessages) : null,
    get deferred() {
      return state.deferred;
    },
    get replied() {
      return state.replied;
    },
    isChatInputCommand: () => true,
    isAutocomplete: () => false,
    isButton: () => false,
    options: {
      data: Object.keys(options).map((name) => ({ name })),
      getString: (name: string, required?: boolean) => {
        const value = options[name];
        if (value === undefined && required) throw new Error(`missing option ${name}`);
        return value === undefined ? null : String(value);
      },
      getInteger: (name: string) => (typeof options[name] === 'number' ? options[name] : null),
      getChannel: (name: string) => (options[name] ? { id: String(options[name]) } : null),
      getSubcommand: () => opts.subcommand ?? '',
    },
    async reply(payload: unknown) {
      record('reply', payload);
      state.replied = true;
      return { id: 'reply-message' };
    },
    async deferReply(payload: unknown) {
      record('deferReply', payload);
      state.deferred = true;
    },
    async editReply(payload: unknown) {
      record('editReply', payload);
      state.replied = true;
      return { id: '500000000000000001' };
    },
    async followUp(payload: unknown) {
      record('followUp', payload);
      return { id: 'follow-up-message' };
    },
  };
  return { interaction: interaction as unknown as Interaction, calls, state };
}

/** An autocomplete interaction (`createdTimestamp`: when Discord created it, on the test's clock). */
export function fakeAutocomplete(
  name: string,
  focused: string,
  options: { createdTimestamp?: number; userId?: string } = {},
): { interaction: Interaction; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  let responded = false;
  const interaction = {
    id: String(nextId++),
    commandName: name,
    createdTimestamp: options.createdTimestamp,
    user: { id: options.userId ?? '900000000000000001', username: 'ada', bot: false },
    isChatInputCommand: () => false,
    isAutocomplete: () => true,
    isButton: () => false,
    get responded() {
      return responded;
    },
    options: { getFocused: () => focused },
    async respond(choices: unknown) {
      calls.push({ method: 'respond', payload: choices });
      responded = true;
    },
  };
  return { interaction: interaction as unknown as Interaction, calls };
}

/** A button click. */
export function fakeButton(customId: string, userId: string): { interaction: Interaction; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const interaction = {
    id: String(nextId++),
    customId,
    user: { id: userId },
    deferred: false,
    replied: false,
    isChatInputCommand: () => false,
    isAutocomplete: () => false,
    isButton: () => true,
    async reply(payload: unknown) {
      calls.push({ method: 'reply', payload });
    },
  };
  return { interaction: interaction as unknown as Interaction, calls };
}
