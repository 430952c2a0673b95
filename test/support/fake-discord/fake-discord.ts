/**
 * A fake Discord (REST API v10 + gateway WebSocket) on loopback that the REAL discord.js 14 client
 * connects to, so end-to-end tests can drive the real bot process. Stateful and in memory.
 *
 * ── Connecting a client / the bot ────────────────────────────────────────────────────────────────
 *   const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
 *   // in-process: new Client({ intents, rest: { api: fake.apiBase } }).login(fake.token)
 *   // bot process: env DISCORD_API_BASE=fake.apiBase, DISCORD_TOKEN=fake.token, DISCORD_GUILD_ID=fake.ids.guild
 *   await fake.waitForReady();
 *   …
 *   await fake.close();
 *
 * `apiBase` is `http://127.0.0.1:PORT/api` (no version; discord.js appends `/v10`). `GET /gateway/bot`
 * points the client at `ws://127.0.0.1:PORT/gateway` (plain JSON frames; discord.js only asks for
 * zlib-stream when the optional `zlib-sync` package is installed).
 *
 * ── The default world (ids are real-looking snowflakes; see `fake.ids`) ─────────────────────────
 *   guild "Paperbot Test Guild" (owner = admin user) with roles @everyone (id = guild id),
 *   "Admin" (Administrator) and the bot's managed role; text channels #papers (`ids.textChannel`)
 *   and #digest (`ids.secondChannel`); members admin (`ids.adminUser`, Admin role), user
 *   (`ids.normalUser`) and the bot (`ids.botUser`, bot role); application `ids.application`.
 *
 * ── Test-facing API ──────────────────────────────────────────────────────────────────────────────
 *   startFakeDiscord(options?: FakeDiscordOptions): Promise<FakeDiscord>
 *     options: token, heartbeatIntervalMs (default 2000), disallowedIntents (bitmask; IDENTIFY
 *     requesting any of them is closed with 4014), rateLimit {limit, windowMs, headers?} (enforce
 *     429 on channel message create/edit; off by default), interactionDeadlineMs (callback later than this
 *     → 404 Unknown interaction 10062; default 3000 like Discord, Infinity turns it off), host (default 127.0.0.1).
 *   fake.apiBase, fake.gatewayUrl, fake.token, fake.ids.{guild,textChannel,secondChannel,adminUser,
 *     normalUser,botUser,application,everyoneRole,adminRole,botRole}
 *   REST log:   fake.requests: RecordedRequest[] (method, decoded path, query, headers, body, files,
 *               status, response, at, unknown); fake.unknownRequests; waitForRequest(pred, timeoutMs)
 *               (matches already-recorded requests too)
 *   State:      fake.messages: Map<channelId, RawMessage[]> (live, deleted ones removed),
 *               messagesIn(channelId), fake.deletedMessages, fake.threads: Map<threadId, RawChannel>,
 *               fake.channels, getMessage(id), registeredCommands(guildId?)
 *   Rate:       fake.messageWrites: MessageWrite[] (every create/edit/delete with channel + time),
 *               maxWritesInWindow(channelId, windowMs, kinds?) → the most writes seen in any window
 *   Events in:  sendSlashCommand({name, options?, user?, channelId?, guildId?, dm?}) → SentInteraction
 *               sendAutocomplete({name, focused, value, options?, user?, channelId?, dm?})
 *               sendButton({customId, messageId, user?}) (message must exist in the fake)
 *               sendMessage({channelId?, content, author?, mentions?}) → RawMessage (MESSAGE_CREATE;
 *               content/embeds stripped like Discord when the session lacks MessageContent and the
 *               bot is not mentioned and it is not a DM)
 *               createThread({parentId?, name, ownerId?, fromMessageId?}) → THREAD_CREATE
 *               dmChannelFor(userId), dispatch(t, d) (raw escape hatch)
 *   Interactions: fake.interactions: Map<id, FakeInteraction>; waitForInteractionResponse(id) →
 *               first callback {type, data, at}; getOriginal(token) → current @original message;
 *               waitForOriginal(token, predicate?, timeoutMs?); followUps(token)
 *   Gateway:    waitForReady(timeoutMs?); closeGateway(code, reason?) (1006 = abrupt TCP drop;
 *               4000/1006 resumable; 4004/4007/4009–4014 invalidate the sessions; 4004 also revokes the token);
 *               fake.gatewayConnections, fake.identifies (IDENTIFY `d`, incl. intents),
 *               fake.resumes, fake.gatewayReceived; setDisallowedIntents(mask)
 *   Faults:     setPermissions({channelId?, createThreads?, sendMessages?, sendMessagesInThreads?,
 *               embedLinks?}) — false adds a bot member overwrite denying it (CHANNEL_UPDATE is
 *               dispatched; REST answers 403 {message:'Missing Permissions', code:50013});
 *               failNext({method?, path, status, code?, message?, times?}) — scripted REST errors.
 *   Sharding:   options recommendedShards / maxConcurrency (GET /gateway/bot); an IDENTIFY with
 *               `shard: [id, count]` gets only its guilds, by (guild_id >> 22) % count (DMs: shard 0);
 *               a bad pair is closed with 4010; waitForShards(count); addGuild(fake, {name, shard})
 *               in fake-shards.ts adds a guild on a chosen shard.
 *   Generic:    waitUntil(check, timeoutMs?, what?) — resolves with check()'s first non-undefined value,
 *               re-evaluated on every state change. close().
 *
 * Bot-authored messages (REST or interaction responses, not ephemeral) are echoed as MESSAGE_CREATE /
 * MESSAGE_UPDATE / MESSAGE_DELETE to sessions with the GuildMessages (or DirectMessages) intent, as
 * Discord does, so the bot must ignore its own messages.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermissionFlagsBits } from 'discord.js';
import { FakeGateway, type GatewayConnection, type GatewayPayloadRecord } from './fake-gateway.js';
import { makeGuild } from './fake-guild.js';
import { handleHttpRequest, type RecordedRequest } from './fake-rest.js';
import {
  ALL_PERMISSIONS,
  ChannelTypes,
  MessageFlags,
  computePermissions,
  makeMessage,
  makeThread,
  makeUser,
  memberJson,
  mentionedUserIds,
  newSnowflake,
  type FakeGuild,
  type Json,
  type RawChannel,
  type RawMessage,
  type RawUser,
} from './fake-world.js';

export type { RecordedRequest } from './fake-rest.js';
export type { GatewayConnection, GatewayPayloadRecord } from './fake-gateway.js';
export type { Json, RawChannel, RawMessage, RawUser } from './fake-world.js';

export interface FakeDiscordOptions {
  /** Bot token the fake accepts (REST `Authorization: Bot <token>` and IDENTIFY). */
  token?: string;
  /** HELLO heartbeat_interval in ms (default 2000). */
  heartbeatIntervalMs?: number;
  /** Intent bits Discord would refuse (e.g. GatewayIntentBits.MessageContent) → close 4014. */
  disallowedIntents?: number;
  /**
   * Enforce a per-channel limit on bot message create/edit via /channels routes (Discord: ~5 per 5 s);
   * off by default. Over the limit → 429 with retry-after/x-ratelimit-* headers. With `headers`
   * (default true) successful answers carry x-ratelimit-* headers, so discord.js paces itself
   * and normally never sees a 429; `headers: false` makes it hit (and retry after) real 429s.
   */
  rateLimit?: { limit: number; windowMs: number; headers?: boolean };
  /**
   * Interaction callbacks later than this many ms after dispatch get 404 Unknown interaction 10062
   * (default `DISCORD_ACK_WINDOW_MS`, Discord's 3 s; `Infinity` turns the check off).
   */
  interactionDeadlineMs?: number;
  /** GET /gateway/bot: the recommended shard count (default 1) and session_start_limit.max_concurrency (default 1). */
  recommendedShards?: number;
  maxConcurrency?: number;
  host?: string;
}

export interface FakeIds {
  guild: string;
  textChannel: string;
  secondChannel: string;
  adminUser: string;
  normalUser: string;
  botUser: string;
  application: string;
  everyoneRole: string;
  adminRole: string;
  botRole: string;
}

export interface InteractionCallbackRecord {
  /** 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete result, 9 modal. */
  type: number;
  data: Json | undefined;
  at: number;
}

export interface FakeInteraction {
  id: string;
  token: string;
  /** 2 application command, 3 component, 4 autocomplete. */
  type: number;
  commandName?: string;
  customId?: string;
  channelId: string;
  guildId?: string;
  userId: string;
  createdAt: number;
  callbacks: InteractionCallbackRecord[];
  /** Id of the @original message (reply/deferred reply, or the component's message). */
  originalMessageId?: string;
  originalDeleted: boolean;
  followUpIds: string[];
  /** Choices of the last autocomplete result (type 8). */
  autocompleteChoices?: Json[];
  payload: Json;
}

export interface SentInteraction {
  id: string;
  token: string;
  applicationId: string;
}

export interface MessageWrite {
  channelId: string;
  messageId: string;
  kind: 'create' | 'edit' | 'delete';
  /** `channel` = /channels routes; `interaction` = callback or webhook (interaction token). */
  via: 'channel' | 'interaction';
  at: number;
}

export interface FailRule {
  method?: string;
  path: string | RegExp;
  status: number;
  code?: number;
  message?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
}

type OptionInput = Json[] | Record<string, string | number | boolean>;

interface Waiter {
  check: () => boolean;
}

/** Discord's window for the first response to an interaction. */
export const DISCORD_ACK_WINDOW_MS = 3_000;

const INTENT_GUILD_MESSAGES = 1 << 9;
const INTENT_DIRECT_MESSAGES = 1 << 12;
const INTENT_MESSAGE_CONTENT = 1 << 15;

/** Who sends a command interaction, where, and with which options (raw API array or {name: value}). */
export interface CommandInteractionArgs {
  name: string;
  options?: OptionInput;
  user?: string;
  channelId?: string;
  guildId?: string;
  dm?: boolean;
}

export class FakeDiscord {
  readonly token: string;
  readonly ids: FakeIds;
  apiBase = '';
  gatewayUrl = '';
  readonly requests: RecordedRequest[] = [];
  /** The bytes of every uploaded attachment, by attachment id (see `attachmentText`). */
  readonly attachmentData = new Map<string, Buffer>();
  /** @internal The files uploaded with the request being handled, by name. */
  currentUploads = new Map<string, Buffer>();
  readonly messages = new Map<string, RawMessage[]>();
  readonly deletedMessages: RawMessage[] = [];
  readonly channels = new Map<string, RawChannel>();
  readonly threads = new Map<string, RawChannel>();
  readonly users = new Map<string, RawUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly messageWrites: MessageWrite[] = [];
  /** Registered application commands: key '' = global, else guild id. */
  readonly commands = new Map<string, Json[]>();
  readonly failRules: FailRule[] = [];
  readonly options: Required<Pick<FakeDiscordOptions, 'heartbeatIntervalMs' | 'interactionDeadlineMs'>> & FakeDiscordOptions;
  readonly gateway: FakeGateway;
  private disallowed: number;
  private readonly waiters = new Set<Waiter>();
  private server: Server | undefined;

  constructor(options: FakeDiscordOptions = {}) {
    this.options = { heartbeatIntervalMs: 2000, interactionDeadlineMs: DISCORD_ACK_WINDOW_MS, ...options };
    this.token = options.token ?? `fake.${newSnowflake()}.token`;
    this.disallowed = options.disallowedIntents ?? 0;

    const bot = makeUser('paperbot', true);
    const admin = makeUser('alice');
    const normal = makeUser('bob');
    for (const u of [bot, admin, normal]) this.users.set(u.id, u);
    const guildId = newSnowflake();
    const { guild, channels, adminRole, botRole } = makeGuild(guildId, 'Paperbot Test Guild', { admin: admin.id, normal: normal.id, bot: bot.id });
    const [papers, digest] = channels;
    for (const c of channels) {
      this.channels.set(c.id, c);
      this.messages.set(c.id, []);
    }
    this.guilds.set(guildId, guild);
    this.ids = {
      guild: guildId,
      textChannel: papers.id,
      secondChannel: digest.id,
      adminUser: admin.id,
      normalUser: normal.id,
      botUser: bot.id,
      application: bot.id, // Discord bots' application id equals the bot user id
      everyoneRole: guildId,
      adminRole,
      botRole,
    };

    this.gateway = new FakeGateway({
      token: this.token,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs,
      disallowedIntents: () => this.disallowed,
      readyPayload: () => this.readyPayload(),
      guildCreatePayloads: () => [...this.guilds.values()].map((g) => this.guildCreatePayload(g)),
      resumeUrl: () => this.gatewayUrl,
      notify: () => this.notify(),
    });
  }

  /** @internal */
  async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    const server = createServer((req, res) => {
      void handleHttpRequest(this, req, res);
    });
    server.on('upgrade', (req, socket, head) => {
      if ((req.url ?? '').startsWith('/gateway')) this.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const { port } = server.address() as AddressInfo;
    this.server = server;
    this.apiBase = `http://${host}:${port}/api`;
    this.gatewayUrl = `ws://${host}:${port}/gateway`;
  }

  async close(): Promise<void> {
    for (const w of this.waiters) this.waiters.delete(w);
    await this.gateway.shutdown();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ── generic waiting ──────────────────────────────────────────────────────────────────────────

  /** @internal Re-evaluates every pending waiter; called on each state change. */
  notify(): void {
    for (const w of [...this.waiters]) w.check();
  }

  /** Resolves with check()'s first non-undefined value; re-evaluated on every fake state change. */
  waitUntil<T>(check: () => T | undefined, timeoutMs = 5000, what = 'condition'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const value = check();
          if (value === undefined) return false;
          this.waiters.delete(waiter);
          clearTimeout(timer);
          resolve(value);
          return true;
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  waitForRequest(predicate: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    return this.waitUntil(() => this.requests.find(predicate), timeoutMs, 'a matching REST request');
  }

  get unknownRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.unknown);
  }

  /** Resolves once every one of shards 0…count-1 has a live session (see fake-shards.ts for routing). */
  waitForShards(count: number, timeoutMs = 30_000): Promise<void> {
    return this.waitUntil(() => (new Set(this.gateway.liveShards().filter((id) => id < count)).size >= count ? true : undefined), timeoutMs, `${count} live shards`).then(
      () => undefined,
    );
  }

  /** Resolves once a gateway session is READY (or RESUMED) on an open socket. */
  waitForReady(timeoutMs = 10_000): Promise<void> {
    return this.waitUntil(() => (this.gateway.hasLiveSession() ? true : undefined), timeoutMs, 'a live gateway session').then(
      () => undefined,
    );
  }

  waitForInteractionResponse(id: string, timeoutMs = 5000): Promise<InteractionCallbackRecord> {
    return this.waitUntil(() => this.interactions.get(id)?.callbacks[0], timeoutMs, `callback of interaction ${id}`);
  }

  /** The current @original message of the interaction with this token (undefined if none/deleted). */
  getOriginal(token: string): RawMessage | undefined {
    const interaction = this.interactionByToken(token);
    if (!interaction?.originalMessageId || interaction.originalDeleted) return undefined;
    return this.getMessage(interaction.originalMessageId);
  }

  waitForOriginal(token: string, predicate: (m: RawMessage) => boolean = () => true, timeoutMs = 5000): Promise<RawMessage> {
    return this.waitUntil(
      () => {
        const m = this.getOriginal(token);
        return m && predicate(m) ? m : undefined;
      },
      timeoutMs,
      'the @original message',
    );
  }

  followUps(token: string): RawMessage[] {
    const interaction = this.interactionByToken(token);
    if (!interaction) return [];
    return interaction.followUpIds.map((id) => this.getMessage(id)).filter((m): m is RawMessage => m !== undefined);
  }

  // ── state queries ────────────────────────────────────────────────────────────────────────────

  get gatewayConnections(): GatewayConnection[] {
    return this.gateway.connections;
  }
  get identifies(): Json[] {
    return this.gateway.identifies;
  }
  get resumes(): Json[] {
    return this.gateway.resumes;
  }
  get gatewayReceived(): GatewayPayloadRecord[] {
    return this.gateway.received;
  }

  messagesIn(channelId: string): RawMessage[] {
    return this.messages.get(channelId) ?? [];
  }

  getMessage(id: string): RawMessage | undefined {
    for (const list of this.messages.values()) {
      const m = list.find((x) => x.id === id);
      if (m) return m;
    }
    return undefined;
  }

  registeredCommands(guildId?: string): Json[] {
    return this.commands.get(guildId ?? '') ?? [];
  }

  /** Largest number of writes (default: creates + edits) to a channel within any `windowMs` span. */
  maxWritesInWindow(channelId: string, windowMs: number, kinds: MessageWrite['kind'][] = ['create', 'edit']): number {
    const times = this.messageWrites.filter((w) => w.channelId === channelId && kinds.includes(w.kind)).map((w) => w.at);
    let best = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= windowMs) start++;
      best = Math.max(best, end - start + 1);
    }
    return best;
  }

  interactionByToken(token: string): FakeInteraction | undefined {
    for (const i of this.interactions.values()) if (i.token === token) return i;
    return undefined;
  }

  // ── configuration / faults ─────────────────────────────────────────────────────────────────────

  /**
   * Closes every gateway socket with `code`: 1006 = abrupt TCP drop; 4000/1006/… keep the session so
   * discord.js RESUMEs; 4004, 4007, 4009–4014 invalidate it (discord.js gives up on 4004/4010–4014).
   */
  closeGateway(code: number, reason?: string): void {
    this.gateway.close(code, reason);
  }

  setDisallowedIntents(mask: number): void {
    this.disallowed = mask;
  }

  /** Scripted REST failures: the next `times` requests matching method+path answer with this error. */
  failNext(rule: FailRule): void {
    this.failRules.push({ times: 1, ...rule });
  }

  /**
   * Grants (true) or denies (false) bot permissions in a channel (default: the #papers channel) via a
   * member overwrite; dispatches CHANNEL_UPDATE. Threads inherit their parent's overwrites.
   */
  setPermissions(p: {
    channelId?: string;
    createThreads?: boolean;
    sendMessages?: boolean;
    sendMessagesInThreads?: boolean;
    embedLinks?: boolean;
  }): void {
    const channel = this.channels.get(p.channelId ?? this.ids.textChannel);
    if (!channel) throw new Error(`fake-discord: unknown channel ${p.channelId}`);
    const overwrites = (channel.permission_overwrites ??= []);
    let ow = overwrites.find((o) => o.type === 1 && o.id === this.ids.botUser);
    if (!ow) {
      ow = { id: this.ids.botUser, type: 1, allow: '0', deny: '0' };
      overwrites.push(ow);
    }
    let deny = BigInt(ow.deny);
    const toggle = (flag: bigint, allowed: boolean | undefined): void => {
      if (allowed === undefined) return;
      deny = allowed ? deny & ~flag : deny | flag;
    };
    toggle(PermissionFlagsBits.CreatePublicThreads | PermissionFlagsBits.CreatePrivateThreads, p.createThreads);
    toggle(PermissionFlagsBits.SendMessages, p.sendMessages);
    toggle(PermissionFlagsBits.SendMessagesInThreads, p.sendMessagesInThreads);
    toggle(PermissionFlagsBits.EmbedLinks, p.embedLinks);
    ow.deny = deny.toString();
    if (this.gateway.hasValidSession()) this.gateway.dispatch('CHANNEL_UPDATE', { ...channel });
  }

  /** @internal Effective permissions of the bot in a channel. */
  botPermissions(channelId: string): bigint {
    return this.permissionsOf(this.ids.botUser, channelId);
  }

  permissionsOf(userId: string, channelId: string): bigint {
    const channel = this.channels.get(channelId);
    if (!channel?.guild_id) return channel ? ALL_PERMISSIONS : 0n; // DMs
    const guild = this.guilds.get(channel.guild_id);
    if (!guild) return 0n;
    return computePermissions(guild, userId, channel, (id) => this.channels.get(id));
  }

  // ── gateway payload builders ───────────────────────────────────────────────────────────────────

  private readyPayload(): Json {
    const bot = this.users.get(this.ids.botUser)!;
    return {
      v: 10,
      user: { ...bot, verified: true, mfa_enabled: false, email: null, flags: 0 },
      guilds: [...this.guilds.keys()].map((id) => ({ id, unavailable: true })),
      private_channels: [],
      relationships: [],
      presences: [],
      user_settings: {},
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      application: { id: this.ids.application, flags: 0 },
      _trace: ['["fake-gateway",{}]'],
    };
  }

  /** @internal */
  guildJson(guild: FakeGuild): Json {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      region: 'deprecated',
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      nsfw: false,
      max_members: 500000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      features: [],
      roles: [...guild.roles.values()],
      emojis: [],
      stickers: [],
      incidents_data: null,
    };
  }

  private guildCreatePayload(guild: FakeGuild): Json {
    const activeThreads = [...this.threads.values()].filter((t) => t.guild_id === guild.id && !t.thread_metadata?.archived);
    return {
      ...this.guildJson(guild),
      unavailable: false,
      large: false,
      lazy: true,
      joined_at: guild.members.get(this.ids.botUser)?.joinedAt ?? new Date().toISOString(),
      member_count: guild.members.size,
      members: [...guild.members.values()].map((m) => memberJson(m, this.users.get(m.userId)!)),
      channels: guild.channelIds.map((id) => this.channels.get(id)).filter((c): c is RawChannel => c !== undefined),
      threads: activeThreads,
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
      application_command_counts: {},
    };
  }

  /** @internal Guild member JSON (with permissions in `channelId` when given). */
  memberPayload(guildId: string, userId: string, channelId?: string): Json | undefined {
    const guild = this.guilds.get(guildId);
    const member = guild?.members.get(userId);
    const user = this.users.get(userId);
    if (!guild || !member || !user) return undefined;
    return memberJson(member, user, channelId ? this.permissionsOf(userId, channelId) : undefined);
  }

  // ── dispatch helpers ─────────────────────────────────────────────────────────────────────────

  /** Raw escape hatch: dispatch any event to every valid session. */
  dispatch(t: string, d: Json): void {
    this.requireSession();
    this.gateway.dispatch(t, d);
  }

  private requireSession(): void {
    if (!this.gateway.hasValidSession()) {
      throw new Error('fake-discord: no gateway session — await fake.waitForReady() first');
    }
  }

  /** @internal Echo a message event as Discord would (respecting intents and content stripping). */
  dispatchMessageEvent(t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: RawMessage): void {
    const isDm = message.guild_id === undefined;
    const needed = isDm ? INTENT_DIRECT_MESSAGES : INTENT_GUILD_MESSAGES;
    const member = message.guild_id ? this.memberPayload(message.guild_id, message.author.id) : undefined;
    const mentions = message.mentions.map((u) => {
      const m = message.guild_id ? this.memberPayload(message.guild_id, u.id) : undefined;
      if (!m) return u;
      const { user: _user, ...rest } = m;
      return { ...u, member: rest };
    });
    const bot = this.ids.botUser;
    this.gateway.dispatch(t, (intents) => {
      if ((intents & needed) === 0) return undefined;
      const d: Json = { ...message, mentions };
      const channelType = this.channels.get(message.channel_id)?.type;
      if (channelType !== undefined) d.channel_type = channelType;
      if (member) {
        const { user: _user, ...rest } = member;
        d.member = rest;
      }
      const canRead =
        (intents & INTENT_MESSAGE_CONTENT) !== 0 ||
        isDm ||
        message.author.id === bot ||
        message.mentions.some((u) => u.id === bot);
      if (!canRead) {
        d.content = '';
        d.embeds = [];
        d.attachments = [];
        d.components = [];
      }
      return d;
    });
  }

  /** @internal Stores a message and updates channel bookkeeping. */
  storeMessage(message: RawMessage): void {
    let list = this.messages.get(message.channel_id);
    if (!list) {
      list = [];
      this.messages.set(message.channel_id, list);
    }
    list.push(message);
    const channel = this.channels.get(message.channel_id);
    if (channel) {
      channel.last_message_id = message.id;
      if (typeof channel.message_count === 'number') {
        channel.message_count += 1;
        channel.total_message_sent = (channel.total_message_sent as number) + 1;
      }
    }
  }

  /** @internal */
  removeMessage(message: RawMessage): void {
    const list = this.messages.get(message.channel_id);
    const index = list?.indexOf(message) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
    this.deletedMessages.push(message);
  }

  // ── incoming events (test → bot) ─────────────────────────────────────────────────────────────

  private interactionChannel(channelId: string, userId: string): Json {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`fake-discord: unknown channel ${channelId}`);
    if (channel.type === ChannelTypes.DM) return { ...channel, recipients: [this.users.get(userId)] };
    return { ...channel };
  }

  private resolveUser(userId: string | undefined): RawUser {
    const user = this.users.get(userId ?? this.ids.normalUser);
    if (!user) throw new Error(`fake-discord: unknown user ${userId}`);
    return user;
  }

  /** Returns (creating once) the DM channel between the bot and a user. */
  dmChannelFor(userId: string): RawChannel {
    for (const c of this.channels.values()) {
      if (c.type === ChannelTypes.DM && c.recipients?.some((u) => u.id === userId)) return c;
    }
    const user = this.resolveUser(userId);
    const channel: RawChannel = { id: newSnowflake(), type: ChannelTypes.DM, last_message_id: null, flags: 0, recipients: [user] };
    this.channels.set(channel.id, channel);
    this.messages.set(channel.id, []);
    return channel;
  }

  /** Adds a user (and, unless `guildId: null`, a member of the default guild). */
  addUser(username: string, opts: { bot?: boolean; roles?: string[]; guildId?: string | null } = {}): RawUser {
    const user = makeUser(username, opts.bot ?? false);
    this.users.set(user.id, user);
    if (opts.guildId !== null) {
      const guild = this.guilds.get(opts.guildId ?? this.ids.guild)!;
      guild.members.set(user.id, { userId: user.id, roles: opts.roles ?? [], joinedAt: new Date().toISOString(), nick: null });
    }
    return user;
  }

  private baseInteraction(type: number, args: { user?: string; channelId?: string; guildId?: string; dm?: boolean }): FakeInteraction {
    this.requireSession();
    const user = this.resolveUser(args.user);
    const channelId = args.dm ? this.dmChannelFor(user.id).id : (args.channelId ?? this.ids.textChannel);
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`fake-discord: unknown channel ${channelId}`);
    const guildId = args.dm ? undefined : (args.guildId ?? channel.guild_id);
    const id = newSnowflake();
    const token = `aW50ZXJhY3Rpb246${id}${Math.random().toString(36).slice(2)}`;
    const payload: Json = {
      id,
      application_id: this.ids.application,
      type,
      token,
      version: 1,
      channel: this.interactionChannel(channelId, user.id),
      channel_id: channelId,
      app_permissions: this.botPermissions(channelId).toString(),
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: guildId ? { '0': guildId } : { '1': user.id },
      context: guildId ? 0 : 1,
      attachment_size_limit: 10485760,
    };
    if (guildId) {
      const member = this.memberPayload(guildId, user.id, channelId);
      if (!member) throw new Error(`fake-discord: user ${user.id} is not a member of guild ${guildId}`);
      payload.guild_id = guildId;
      payload.guild = { id: guildId, locale: 'en-US', features: [] };
      payload.guild_locale = 'en-US';
      payload.member = member;
    } else {
      payload.user = user;
    }
    const interaction: FakeInteraction = {
      id,
      token,
      type,
      channelId,
      userId: user.id,
      createdAt: Date.now(),
      callbacks: [],
      originalDeleted: false,
      followUpIds: [],
      payload,
    };
    if (guildId) interaction.guildId = guildId;
    return interaction;
  }

  private commandId(name: string, guildId: string | undefined): string {
    const found = [...this.registeredCommands(guildId), ...this.registeredCommands()].find((c) => c.name === name);
    return typeof found?.id === 'string' ? found.id : newSnowflake();
  }

  private send(interaction: FakeInteraction): SentInteraction {
    this.interactions.set(interaction.id, interaction);
    this.gateway.dispatch('INTERACTION_CREATE', interaction.payload);
    return { id: interaction.id, token: interaction.token, applicationId: this.ids.application };
  }

  /** Dispatches a slash command (INTERACTION_CREATE type 2). Options: raw API array or {name: value}. */
  sendSlashCommand(args: CommandInteractionArgs): SentInteraction {
    const interaction = this.baseInteraction(2, args);
    interaction.commandName = args.name;
    interaction.payload.data = {
      id: this.commandId(args.name, interaction.guildId),
      name: args.name,
      type: 1,
      options: toOptions(args.options),
      ...(interaction.guildId && this.registeredCommands(interaction.guildId).some((c) => c.name === args.name)
        ? { guild_id: interaction.guildId }
        : {}),
    };
    return this.send(interaction);
  }

  /** Dispatches an autocomplete request (type 4) with `focused` option holding `value`. */
  sendAutocomplete(args: CommandInteractionArgs & { focused: string; value: string }): SentInteraction {
    const interaction = this.baseInteraction(4, args);
    interaction.commandName = args.name;
    const options = toOptions(args.options).filter((o) => o.name !== args.focused);
    options.push({ name: args.focused, type: 3, value: args.value, focused: true });
    interaction.payload.data = { id: this.commandId(args.name, interaction.guildId), name: args.name, type: 1, options };
    return this.send(interaction);
  }

  /** Dispatches a button click (type 3, component_type 2) on a message stored in the fake. */
  sendButton(args: { customId: string; messageId: string; user?: string }): SentInteraction {
    const message = this.getMessage(args.messageId);
    if (!message) throw new Error(`fake-discord: unknown message ${args.messageId}`);
    const interaction = this.baseInteraction(3, { user: args.user, channelId: message.channel_id, dm: false });
    interaction.customId = args.customId;
    interaction.originalMessageId = message.id;
    interaction.payload.data = { custom_id: args.customId, component_type: 2 };
    interaction.payload.message = { ...message };
    return this.send(interaction);
  }

  /** The text of an uploaded attachment (UTF-8), by its id as found in a message's `attachments`. */
  attachmentText(attachmentId: string): string {
    const data = this.attachmentData.get(attachmentId);
    if (!data) throw new Error(`fake-discord: unknown attachment ${attachmentId}`);
    return data.toString('utf8');
  }

  /** Dispatches a string select (type 3, component_type 3) with the chosen `values`, on a message stored in the fake. */
  sendSelect(args: { customId: string; messageId: string; values: string[]; user?: string }): SentInteraction {
    const message = this.getMessage(args.messageId);
    if (!message) throw new Error(`fake-discord: unknown message ${args.messageId}`);
    const interaction = this.baseInteraction(3, { user: args.user, channelId: message.channel_id, dm: false });
    interaction.customId = args.customId;
    interaction.originalMessageId = message.id;
    interaction.payload.data = { custom_id: args.customId, component_type: 3, values: args.values };
    interaction.payload.message = { ...message };
    return this.send(interaction);
  }

  /** A user posts a message (MESSAGE_CREATE). `mentions` defaults to the `<@id>`s in the content. */
  sendMessage(args: { channelId?: string; content: string; author?: string; mentions?: string[] }): RawMessage {
    this.requireSession();
    const author = this.resolveUser(args.author);
    const channelId = args.channelId ?? this.ids.textChannel;
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`fake-discord: unknown channel ${channelId}`);
    const mentionIds = args.mentions ?? mentionedUserIds(args.content);
    const message = makeMessage({
      channelId,
      ...(channel.guild_id ? { guildId: channel.guild_id } : {}),
      author,
      content: args.content,
      mentions: mentionIds.map((id) => this.users.get(id)).filter((u): u is RawUser => u !== undefined),
      type: 0,
    });
    this.storeMessage(message);
    this.dispatchMessageEvent('MESSAGE_CREATE', message);
    return message;
  }

  /** @internal Creates a thread in state (thread id = message id when started from a message). */
  makeThreadChannel(args: {
    parentId: string;
    name: string;
    ownerId: string;
    type?: number;
    fromMessageId?: string;
    autoArchiveDuration?: number;
  }): RawChannel {
    const parent = this.channels.get(args.parentId);
    if (!parent?.guild_id) throw new Error(`fake-discord: ${args.parentId} is not a guild channel`);
    const thread = makeThread({
      id: args.fromMessageId ?? newSnowflake(),
      guildId: parent.guild_id,
      parentId: parent.id,
      ownerId: args.ownerId,
      name: args.name,
      type: args.type ?? ChannelTypes.PublicThread,
      autoArchiveDuration: args.autoArchiveDuration ?? 1440,
    });
    this.channels.set(thread.id, thread);
    this.threads.set(thread.id, thread);
    this.messages.set(thread.id, []);
    if (args.fromMessageId) {
      const message = this.getMessage(args.fromMessageId);
      if (message) {
        message.flags |= MessageFlags.HasThread;
        message.thread = thread;
      }
    }
    return thread;
  }

  /** A user (default: normal user) creates a thread; dispatches THREAD_CREATE. */
  createThread(args: { parentId?: string; name: string; ownerId?: string; fromMessageId?: string }): RawChannel {
    this.requireSession();
    const thread = this.makeThreadChannel({
      parentId: args.parentId ?? this.ids.textChannel,
      name: args.name,
      ownerId: args.ownerId ?? this.ids.normalUser,
      ...(args.fromMessageId ? { fromMessageId: args.fromMessageId } : {}),
    });
    this.gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
    return thread;
  }
}

function toOptions(input: OptionInput | undefined): Json[] {
  if (!input) return [];
  if (Array.isArray(input)) return input.map((o) => ({ ...o }));
  return Object.entries(input).map(([name, value]) => ({
    name,
    value,
    type: typeof value === 'boolean' ? 5 : typeof value === 'number' ? (Number.isInteger(value) ? 4 : 10) : 3,
  }));
}

/** Starts a fake Discord on an ephemeral loopback port. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(options);
  await fake.listen();
  return fake;
}
