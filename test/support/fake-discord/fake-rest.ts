/**
 * The fake Discord REST API (v10). Routes are matched on the URL-decoded path after `/api/v10`;
 * everything is recorded in `fake.requests`. Interaction callback and webhook routes need no
 * Authorization (like Discord); every other route needs `Authorization: Bot <token>`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PermissionFlagsBits } from 'discord.js';
import type { FakeDiscord, FakeInteraction, MessageWrite } from './fake-discord.js';
import { ChannelTypes, MessageFlags, makeMessage, mentionedUserIds, newSnowflake, type Json, type RawMessage } from './fake-world.js';

export interface RecordedRequest {
  method: string;
  /** URL-decoded path without `/api/v10`, e.g. `/webhooks/123/tok/messages/@original`. */
  path: string;
  /** Raw request path as received (still encoded, with prefix). */
  rawPath: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body (for multipart: the `payload_json` part), or undefined. */
  body: unknown;
  /** Names of uploaded files (multipart requests). */
  files: string[];
  at: number;
  status: number;
  response: unknown;
  /** True when no route matched (answered 404 `{message:'404: Not Found', code:0}`). */
  unknown: boolean;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Ctx {
  fake: FakeDiscord;
  method: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: Json;
  files: string[];
}

type Handler = (ctx: Ctx) => Reply;

interface Route {
  method: string;
  segments: string[];
  auth: boolean;
  handler: Handler;
}

const json = (body: unknown, status = 200): Reply => ({ status, body });
const noContent = (): Reply => ({ status: 204 });
export function apiError(status: number, code: number, message: string, errors?: Json): Reply {
  return { status, body: errors ? { message, code, errors } : { message, code } };
}
const unknownChannel = (): Reply => apiError(404, 10003, 'Unknown Channel');
const unknownMessage = (): Reply => apiError(404, 10008, 'Unknown Message');
const missingPermissions = (): Reply => apiError(403, 50013, 'Missing Permissions');
const formError = (field: string, code: string, message: string): Reply =>
  apiError(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });

// ── validation ──────────────────────────────────────────────────────────────────────────────────

/** Validates a message payload like Discord does; returns an error reply or undefined. */
function validateMessage(body: Json, opts: { requireSomething: boolean; hasFiles: boolean }): Reply | undefined {
  const content = body.content;
  if (content !== undefined && content !== null && typeof content !== 'string') {
    return formError('content', 'STRING_TYPE_CONVERT', 'Could not interpret value as string.');
  }
  if (typeof content === 'string' && [...content].length > 2000) {
    return formError('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
  }
  const embeds = Array.isArray(body.embeds) ? (body.embeds as Json[]) : [];
  if (embeds.length > 10) return formError('embeds', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  const limit = (value: unknown, max: number, field: string): Reply | undefined => {
    if (typeof value !== 'string') return undefined;
    total += value.length;
    return value.length > max ? formError(field, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`) : undefined;
  };
  for (const [i, embed] of embeds.entries()) {
    const errs = [
      limit(embed.title, 256, `embeds.${i}.title`),
      limit(embed.description, 4096, `embeds.${i}.description`),
      limit((embed.footer as Json | undefined)?.text, 2048, `embeds.${i}.footer.text`),
      limit((embed.author as Json | undefined)?.name, 256, `embeds.${i}.author.name`),
    ];
    const fields = Array.isArray(embed.fields) ? (embed.fields as Json[]) : [];
    if (fields.length > 25) return formError(`embeds.${i}.fields`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    for (const [j, f] of fields.entries()) {
      if (typeof f.name !== 'string' || f.name.length === 0 || typeof f.value !== 'string' || f.value.length === 0) {
        return formError(`embeds.${i}.fields.${j}`, 'BASE_TYPE_REQUIRED', 'This field is required');
      }
      errs.push(limit(f.name, 256, `embeds.${i}.fields.${j}.name`), limit(f.value, 1024, `embeds.${i}.fields.${j}.value`));
    }
    const err = errs.find((e) => e !== undefined);
    if (err) return err;
  }
  if (total > 6000) return formError('embeds', 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
  const components = Array.isArray(body.components) ? body.components : [];
  if (components.length > 5) return formError('components', 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  if (opts.requireSomething) {
    const hasContent = typeof content === 'string' && content.length > 0;
    const hasStickers = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
    if (!hasContent && embeds.length === 0 && components.length === 0 && !opts.hasFiles && !hasStickers && !body.poll) {
      return apiError(400, 50006, 'Cannot send an empty message');
    }
  }
  return undefined;
}

/** Mentions actually resolved for a message, honouring allowed_mentions like Discord. */
function resolveMentions(fake: FakeDiscord, content: string, allowed: unknown): RawMessage['mentions'] {
  let ids = mentionedUserIds(content);
  if (allowed && typeof allowed === 'object') {
    const a = allowed as { parse?: unknown; users?: unknown; replied_user?: unknown };
    const parse = Array.isArray(a.parse) ? (a.parse as string[]) : [];
    const users = Array.isArray(a.users) ? (a.users as string[]) : [];
    if (!parse.includes('users')) ids = ids.filter((id) => users.includes(id));
  }
  return ids.map((id) => fake.users.get(id)).filter((u): u is NonNullable<typeof u> => u !== undefined);
}

function normalizeEmbeds(embeds: unknown): Json[] {
  if (!Array.isArray(embeds)) return [];
  return (embeds as Json[]).map((e) => ({ type: 'rich', ...e }));
}

/** Attachments of the files uploaded with the current request; their bytes are kept in `fake.attachmentData` by attachment id. */
function attachmentsFrom(fake: FakeDiscord, files: string[]): Json[] {
  return files.map((filename) => {
    const id = newSnowflake();
    const data = fake.currentUploads.get(filename) ?? Buffer.alloc(0);
    fake.attachmentData.set(id, data);
    return {
      id,
      filename,
      size: data.length,
      url: `https://cdn.invalid/attachments/${id}/${filename}`,
      proxy_url: `https://media.invalid/attachments/${id}/${filename}`,
    };
  });
}

/** Applies an edit payload to a stored message (only the fields present). */
function applyEdit(fake: FakeDiscord, message: RawMessage, body: Json, files: string[]): void {
  if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
  if ('embeds' in body) message.embeds = normalizeEmbeds(body.embeds);
  if ('components' in body) message.components = Array.isArray(body.components) ? (body.components as Json[]) : [];
  if ('attachments' in body || files.length > 0) message.attachments = attachmentsFrom(fake, files);
  if ('flags' in body && typeof body.flags === 'number') {
    message.flags = (message.flags & ~MessageFlags.SuppressEmbeds) | (body.flags & MessageFlags.SuppressEmbeds);
  }
  if ('content' in body || 'allowed_mentions' in body) {
    message.mentions = resolveMentions(fake, message.content, body.allowed_mentions);
  }
  message.flags &= ~MessageFlags.Loading;
  message.edited_timestamp = new Date().toISOString();
}

function recordWrite(fake: FakeDiscord, message: RawMessage, kind: MessageWrite['kind'], via: MessageWrite['via']): void {
  fake.messageWrites.push({ channelId: message.channel_id, messageId: message.id, kind, via, at: Date.now() });
}

function isThread(type: number | undefined): boolean {
  return type === ChannelTypes.PublicThread || type === ChannelTypes.PrivateThread;
}

function isEphemeral(message: RawMessage): boolean {
  return (message.flags & MessageFlags.Ephemeral) !== 0;
}

// ── rate limiting (optional) ────────────────────────────────────────────────────────────────────

function rateLimitCheck(fake: FakeDiscord, channelId: string): Reply | { headers: Record<string, string> } {
  const rl = fake.options.rateLimit;
  if (!rl) return { headers: {} };
  const now = Date.now();
  const recent = fake.messageWrites
    .filter((w) => w.channelId === channelId && w.via === 'channel' && w.kind !== 'delete' && now - w.at < rl.windowMs)
    .map((w) => w.at);
  const bucket = `fake-channel-messages-${channelId}`;
  if (recent.length >= rl.limit) {
    const retryAfter = Math.max(0.001, (recent[0]! + rl.windowMs - now) / 1000);
    return {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global: false, code: 0 },
      headers: {
        'retry-after': String(Math.ceil(retryAfter)),
        'x-ratelimit-limit': String(rl.limit),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': retryAfter.toFixed(3),
        'x-ratelimit-bucket': bucket,
        'x-ratelimit-scope': 'user',
      },
    };
  }
  if (rl.headers === false) return { headers: {} };
  const resetAfter = recent.length > 0 ? (recent[0]! + rl.windowMs - now) / 1000 : rl.windowMs / 1000;
  return {
    headers: {
      'x-ratelimit-limit': String(rl.limit),
      'x-ratelimit-remaining': String(rl.limit - recent.length - 1),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': bucket,
    },
  };
}

// ── route handlers ──────────────────────────────────────────────────────────────────────────────

function commandsPut(ctx: Ctx, key: string): Reply {
  const { fake, body } = ctx;
  if (!Array.isArray(body)) return formError('_root', 'ARRAY_TYPE_CONVERT', 'Expected an array.');
  const previous = fake.commands.get(key) ?? [];
  const stored: Json[] = [];
  for (const [i, raw] of (body as Json[]).entries()) {
    const name = raw.name;
    const type = typeof raw.type === 'number' ? raw.type : 1;
    if (typeof name !== 'string' || !/^[-_\p{L}\p{N}]{1,32}$/u.test(name) || (type === 1 && name !== name.toLowerCase())) {
      return formError(`${i}.name`, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    if (type === 1 && (typeof raw.description !== 'string' || raw.description.length < 1 || raw.description.length > 100)) {
      return formError(`${i}.description`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    if (Array.isArray(raw.options) && raw.options.length > 25) {
      return formError(`${i}.options`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    }
    const existing = previous.find((c) => c.name === name && (c.type ?? 1) === type);
    stored.push({
      ...raw,
      type,
      id: existing?.id ?? newSnowflake(),
      application_id: fake.ids.application,
      version: newSnowflake(),
      default_member_permissions: raw.default_member_permissions ?? null,
      ...(key ? { guild_id: key } : {}),
    });
  }
  fake.commands.set(key, stored);
  return json(stored);
}

function createChannelMessage(ctx: Ctx): Reply {
  const { fake, params, body, files } = ctx;
  const channel = fake.channels.get(params.channel!);
  if (!channel) return unknownChannel();
  if (channel.guild_id) {
    const perms = fake.botPermissions(channel.id);
    const send = isThread(channel.type) ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
    if ((perms & PermissionFlagsBits.ViewChannel) === 0n || (perms & send) === 0n) return missingPermissions();
    if (channel.thread_metadata?.locked) return apiError(400, 50083, 'Thread is archived');
  }
  const invalid = validateMessage(body, { requireSomething: true, hasFiles: files.length > 0 });
  if (invalid) return invalid;
  const rl = rateLimitCheck(fake, channel.id);
  if ('status' in rl) return rl;
  const reference = body.message_reference as Json | undefined;
  const referenced = typeof reference?.message_id === 'string' ? fake.getMessage(reference.message_id) : undefined;
  if (reference && !referenced && reference.fail_if_not_exists !== false) {
    return formError('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
  }
  const content = typeof body.content === 'string' ? body.content : '';
  const message = makeMessage({
    channelId: channel.id,
    ...(channel.guild_id ? { guildId: channel.guild_id } : {}),
    author: fake.users.get(fake.ids.botUser)!,
    content,
    embeds: normalizeEmbeds(body.embeds),
    components: Array.isArray(body.components) ? (body.components as Json[]) : [],
    attachments: attachmentsFrom(fake, files),
    mentions: resolveMentions(fake, content, body.allowed_mentions),
    flags: typeof body.flags === 'number' ? body.flags & (MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications) : 0,
    type: referenced ? 19 : 0,
    extra: referenced
      ? {
          message_reference: { type: 0, message_id: referenced.id, channel_id: referenced.channel_id, guild_id: referenced.guild_id },
          referenced_message: referenced,
        }
      : {},
  });
  if (typeof body.nonce === 'string' || typeof body.nonce === 'number') message.nonce = body.nonce;
  if (channel.thread_metadata?.archived) {
    channel.thread_metadata.archived = false;
  }
  fake.storeMessage(message);
  recordWrite(fake, message, 'create', 'channel');
  fake.dispatchMessageEvent('MESSAGE_CREATE', message);
  return { status: 200, body: message, headers: rl.headers };
}

function findChannelMessage(ctx: Ctx): RawMessage | Reply {
  const channel = ctx.fake.channels.get(ctx.params.channel!);
  if (!channel) return unknownChannel();
  const message = ctx.fake.messagesIn(channel.id).find((m) => m.id === ctx.params.message);
  return message ?? unknownMessage();
}

function editChannelMessage(ctx: Ctx): Reply {
  const found = findChannelMessage(ctx);
  if ('status' in found && !('id' in found)) return found as Reply;
  const message = found as RawMessage;
  if (message.author.id !== ctx.fake.ids.botUser) return apiError(403, 50005, 'Cannot edit a message authored by another user');
  const invalid = validateMessage(ctx.body, { requireSomething: false, hasFiles: ctx.files.length > 0 });
  if (invalid) return invalid;
  const rl = rateLimitCheck(ctx.fake, message.channel_id);
  if ('status' in rl) return rl;
  applyEdit(ctx.fake, message, ctx.body, ctx.files);
  recordWrite(ctx.fake, message, 'edit', 'channel');
  ctx.fake.dispatchMessageEvent('MESSAGE_UPDATE', message);
  return { status: 200, body: message, headers: rl.headers };
}

function deleteMessage(fake: FakeDiscord, message: RawMessage, via: MessageWrite['via']): void {
  fake.removeMessage(message);
  recordWrite(fake, message, 'delete', via);
  if (!isEphemeral(message)) {
    fake.gateway.dispatch('MESSAGE_DELETE', {
      id: message.id,
      channel_id: message.channel_id,
      ...(message.guild_id ? { guild_id: message.guild_id } : {}),
    });
  }
}

function listMessages(ctx: Ctx): Reply {
  const channel = ctx.fake.channels.get(ctx.params.channel!);
  if (!channel) return unknownChannel();
  const limit = Math.min(100, Math.max(1, Number(ctx.query.limit ?? 50) || 50));
  let list = [...ctx.fake.messagesIn(channel.id)];
  const before = ctx.query.before;
  const after = ctx.query.after;
  const around = ctx.query.around;
  const cmp = (a: string, b: string): number => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
  if (before) list = list.filter((m) => cmp(m.id, before) < 0);
  if (after) list = list.filter((m) => cmp(m.id, after) > 0);
  list.sort((a, b) => cmp(b.id, a.id));
  if (after) list = list.slice(-limit);
  else if (around) {
    const index = list.findIndex((m) => cmp(m.id, around) <= 0);
    const start = Math.max(0, (index < 0 ? list.length : index) - Math.floor(limit / 2));
    list = list.slice(start, start + limit);
  } else list = list.slice(0, limit);
  return json(list);
}

function startThread(ctx: Ctx, fromMessage: boolean): Reply {
  const { fake, params, body } = ctx;
  const parent = fake.channels.get(params.channel!);
  if (!parent) return unknownChannel();
  if (parent.type !== ChannelTypes.GuildText || !parent.guild_id) {
    return apiError(400, 50024, 'Cannot execute action on this channel type');
  }
  const type = fromMessage ? ChannelTypes.PublicThread : typeof body.type === 'number' ? body.type : ChannelTypes.PrivateThread;
  const needed = type === ChannelTypes.PrivateThread ? PermissionFlagsBits.CreatePrivateThreads : PermissionFlagsBits.CreatePublicThreads;
  if ((fake.botPermissions(parent.id) & needed) === 0n) return missingPermissions();
  const name = body.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
    return formError('name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  let fromMessageId: string | undefined;
  if (fromMessage) {
    const message = fake.messagesIn(parent.id).find((m) => m.id === params.message);
    if (!message) return unknownMessage();
    if (fake.threads.has(message.id)) return apiError(400, 160004, 'A thread has already been created for this message');
    fromMessageId = message.id;
  }
  const thread = fake.makeThreadChannel({
    parentId: parent.id,
    name,
    ownerId: fake.ids.botUser,
    type,
    ...(fromMessageId ? { fromMessageId } : {}),
    ...(typeof body.auto_archive_duration === 'number' ? { autoArchiveDuration: body.auto_archive_duration } : {}),
  });
  const member = { id: thread.id, user_id: fake.ids.botUser, join_timestamp: new Date().toISOString(), flags: 0 };
  fake.gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true, member });
  return json({ ...thread, member }, 201);
}

function editChannel(ctx: Ctx): Reply {
  const { fake, params, body } = ctx;
  const channel = fake.channels.get(params.channel!);
  if (!channel) return unknownChannel();
  if (typeof body.name === 'string') channel.name = body.name;
  if (channel.thread_metadata) {
    const meta = channel.thread_metadata;
    if (typeof body.archived === 'boolean') {
      meta.archived = body.archived;
      meta.archive_timestamp = new Date().toISOString();
    }
    if (typeof body.locked === 'boolean') meta.locked = body.locked;
    if (typeof body.auto_archive_duration === 'number') meta.auto_archive_duration = body.auto_archive_duration;
    fake.gateway.dispatch('THREAD_UPDATE', { ...channel });
  } else {
    if ('topic' in body) channel.topic = body.topic;
    fake.gateway.dispatch('CHANNEL_UPDATE', { ...channel });
  }
  return json(channel);
}

function interactionFor(ctx: Ctx): FakeInteraction | undefined {
  const interaction = ctx.fake.interactionByToken(ctx.params.token!);
  if (!interaction) return undefined;
  if (ctx.params.app !== undefined && ctx.params.app !== ctx.fake.ids.application) return undefined;
  return interaction;
}

function interactionMessage(fake: FakeDiscord, interaction: FakeInteraction, data: Json, flags: number, files: string[]): RawMessage {
  const channel = fake.channels.get(interaction.channelId);
  const content = typeof data.content === 'string' ? data.content : '';
  const user = fake.users.get(interaction.userId)!;
  return makeMessage({
    channelId: interaction.channelId,
    ...(channel?.guild_id ? { guildId: channel.guild_id } : {}),
    author: fake.users.get(fake.ids.botUser)!,
    content,
    embeds: normalizeEmbeds(data.embeds),
    components: Array.isArray(data.components) ? (data.components as Json[]) : [],
    attachments: attachmentsFrom(fake, files),
    mentions: resolveMentions(fake, content, data.allowed_mentions),
    flags,
    type: interaction.type === 2 ? 20 : 19,
    extra: {
      webhook_id: fake.ids.application,
      application_id: fake.ids.application,
      interaction_metadata: {
        id: interaction.id,
        type: interaction.type,
        user,
        authorizing_integration_owners: interaction.payload.authorizing_integration_owners,
        ...(interaction.commandName ? { name: interaction.commandName, command_type: 1 } : {}),
      },
    },
  });
}

function interactionCallback(ctx: Ctx): Reply {
  const { fake, params, body, files } = ctx;
  const interaction = fake.interactions.get(params.interaction!);
  if (!interaction || interaction.token !== params.token) return apiError(404, 10062, 'Unknown interaction');
  if (Date.now() - interaction.createdAt > fake.options.interactionDeadlineMs) return apiError(404, 10062, 'Unknown interaction');
  if (interaction.callbacks.length > 0) return apiError(400, 40060, 'Interaction has already been acknowledged.');
  const type = body.type;
  const data = (body.data ?? {}) as Json;
  if (typeof type !== 'number') return formError('type', 'BASE_TYPE_REQUIRED', 'This field is required');
  let message: RawMessage | undefined;
  switch (type) {
    case 4:
    case 5: {
      if (interaction.type === 4) return apiError(400, 50035, 'Invalid Form Body');
      if (type === 4) {
        const invalid = validateMessage(data, { requireSomething: true, hasFiles: files.length > 0 });
        if (invalid) return invalid;
      }
      const flagsIn = typeof data.flags === 'number' ? data.flags : 0;
      const flags = (flagsIn & (MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds)) | (type === 5 ? MessageFlags.Loading : 0);
      message = interactionMessage(fake, interaction, type === 5 ? {} : data, flags, files);
      fake.storeMessage(message);
      interaction.originalMessageId = message.id;
      recordWrite(fake, message, 'create', 'interaction');
      if (!isEphemeral(message)) fake.dispatchMessageEvent('MESSAGE_CREATE', message);
      break;
    }
    case 6:
    case 7: {
      if (interaction.type !== 3) return apiError(400, 40043, 'Interaction callback type is invalid for this interaction');
      message = fake.getMessage(interaction.originalMessageId ?? '');
      if (type === 7 && message) {
        const invalid = validateMessage(data, { requireSomething: false, hasFiles: files.length > 0 });
        if (invalid) return invalid;
        applyEdit(fake, message, data, files);
        recordWrite(fake, message, 'edit', 'interaction');
        if (!isEphemeral(message)) fake.dispatchMessageEvent('MESSAGE_UPDATE', message);
      }
      break;
    }
    case 8: {
      if (interaction.type !== 4) return apiError(400, 40043, 'Interaction callback type is invalid for this interaction');
      const choices = Array.isArray(data.choices) ? (data.choices as Json[]) : [];
      if (choices.length > 25) return formError('data.choices', 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      for (const [i, c] of choices.entries()) {
        if (typeof c.name !== 'string' || c.name.length < 1 || c.name.length > 100) {
          return formError(`data.choices.${i}.name`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
        }
        if (typeof c.value === 'string' && c.value.length > 100) {
          return formError(`data.choices.${i}.value`, 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
        }
      }
      interaction.autocompleteChoices = choices;
      break;
    }
    case 9:
      break;
    default:
      return formError('type', 'BASE_TYPE_CHOICES', `Value must be one of (1, 4, 5, 6, 7, 8, 9, 10, 12).`);
  }
  interaction.callbacks.push({ type, data: body.data as Json | undefined, at: Date.now() });
  if (ctx.query.with_response === 'true') {
    return json({
      interaction: {
        id: interaction.id,
        type: interaction.type,
        response_message_id: message?.id,
        response_message_loading: type === 5,
        response_message_ephemeral: message ? isEphemeral(message) : false,
      },
      resource: { type, ...(message ? { message } : {}) },
    });
  }
  return noContent();
}

function webhookMessage(ctx: Ctx): { interaction: FakeInteraction; message: RawMessage } | Reply {
  const interaction = interactionFor(ctx);
  if (!interaction) return apiError(404, 10015, 'Unknown Webhook');
  const id = ctx.params.message === '@original' ? interaction.originalMessageId : ctx.params.message;
  const deleted = ctx.params.message === '@original' && interaction.originalDeleted;
  const message = id && !deleted ? ctx.fake.getMessage(id) : undefined;
  if (!message) return unknownMessage();
  return { interaction, message };
}

function webhookEdit(ctx: Ctx): Reply {
  const found = webhookMessage(ctx);
  if (!('message' in found)) return found;
  const { message } = found;
  const invalid = validateMessage(ctx.body, { requireSomething: false, hasFiles: ctx.files.length > 0 });
  if (invalid) return invalid;
  applyEdit(ctx.fake, message, ctx.body, ctx.files);
  recordWrite(ctx.fake, message, 'edit', 'interaction');
  if (!isEphemeral(message)) ctx.fake.dispatchMessageEvent('MESSAGE_UPDATE', message);
  return json(message);
}

function webhookFollowUp(ctx: Ctx): Reply {
  const { fake, body, files } = ctx;
  const interaction = interactionFor(ctx);
  if (!interaction || interaction.callbacks.length === 0) return apiError(404, 10015, 'Unknown Webhook');
  const invalid = validateMessage(body, { requireSomething: true, hasFiles: files.length > 0 });
  if (invalid) return invalid;
  // Discord: the first follow-up after a deferred reply replaces the "thinking…" message.
  const original = interaction.originalMessageId ? fake.getMessage(interaction.originalMessageId) : undefined;
  if (original && (original.flags & MessageFlags.Loading) !== 0 && !interaction.originalDeleted) {
    applyEdit(fake, original, body, files);
    recordWrite(fake, original, 'edit', 'interaction');
    if (!isEphemeral(original)) fake.dispatchMessageEvent('MESSAGE_UPDATE', original);
    return json(original);
  }
  const flagsIn = typeof body.flags === 'number' ? body.flags : 0;
  const message = interactionMessage(fake, interaction, body, flagsIn & (MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds), files);
  fake.storeMessage(message);
  interaction.followUpIds.push(message.id);
  recordWrite(fake, message, 'create', 'interaction');
  if (!isEphemeral(message)) fake.dispatchMessageEvent('MESSAGE_CREATE', message);
  return json(message);
}

const ROUTES: Route[] = [];
function route(method: string, path: string, handler: Handler, auth = true): void {
  ROUTES.push({ method, segments: path.split('/').filter(Boolean), auth, handler });
}

route('GET', '/gateway', ({ fake }) => json({ url: fake.gatewayUrl }), false);
route('GET', '/gateway/bot', ({ fake }) =>
  json({
    url: fake.gatewayUrl,
    shards: fake.options.recommendedShards ?? 1,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: fake.options.maxConcurrency ?? 1 },
  }),
);
route('GET', '/users/@me', ({ fake }) => json({ ...fake.users.get(fake.ids.botUser), verified: true, mfa_enabled: false, email: null }));
route('GET', '/users/:user', ({ fake, params }) => {
  const user = fake.users.get(params.user!);
  return user ? json(user) : apiError(404, 10013, 'Unknown User');
});
route('POST', '/users/@me/channels', ({ fake, body }) => {
  if (typeof body.recipient_id !== 'string' || !fake.users.has(body.recipient_id)) return apiError(404, 10013, 'Unknown User');
  return json(fake.dmChannelFor(body.recipient_id));
});
route('GET', '/applications/@me', ({ fake }) =>
  json({
    id: fake.ids.application,
    name: 'paperbot',
    icon: null,
    description: 'Fake application',
    summary: '',
    type: null,
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: 'f'.repeat(64),
    flags: 0,
    owner: fake.users.get(fake.ids.adminUser),
    team: null,
    bot: fake.users.get(fake.ids.botUser),
    approximate_guild_count: fake.guilds.size,
  }),
);
route('GET', '/applications/:app/commands', (ctx) => json(ctx.fake.registeredCommands()));
route('PUT', '/applications/:app/commands', (ctx) =>
  ctx.params.app === ctx.fake.ids.application ? commandsPut(ctx, '') : apiError(403, 20012, 'You are not authorized to perform this action on this application'),
);
route('GET', '/applications/:app/guilds/:guild/commands', (ctx) => json(ctx.fake.registeredCommands(ctx.params.guild)));
route('PUT', '/applications/:app/guilds/:guild/commands', (ctx) => {
  if (ctx.params.app !== ctx.fake.ids.application) return apiError(403, 20012, 'You are not authorized to perform this action on this application');
  if (!ctx.fake.guilds.has(ctx.params.guild!)) return apiError(403, 50001, 'Missing Access');
  return commandsPut(ctx, ctx.params.guild!);
});
route('POST', '/interactions/:interaction/:token/callback', interactionCallback, false);
route('GET', '/webhooks/:app/:token/messages/:message', (ctx) => {
  const found = webhookMessage(ctx);
  return 'message' in found ? json(found.message) : found;
}, false);
route('PATCH', '/webhooks/:app/:token/messages/:message', webhookEdit, false);
route('DELETE', '/webhooks/:app/:token/messages/:message', (ctx) => {
  const found = webhookMessage(ctx);
  if (!('message' in found)) return found;
  if (ctx.params.message === '@original') found.interaction.originalDeleted = true;
  deleteMessage(ctx.fake, found.message, 'interaction');
  return noContent();
}, false);
route('POST', '/webhooks/:app/:token', webhookFollowUp, false);
route('GET', '/channels/:channel', ({ fake, params }) => {
  const channel = fake.channels.get(params.channel!);
  return channel ? json(channel) : unknownChannel();
});
route('PATCH', '/channels/:channel', editChannel);
route('GET', '/channels/:channel/messages', listMessages);
route('POST', '/channels/:channel/messages', createChannelMessage);
route('GET', '/channels/:channel/messages/:message', (ctx) => {
  const found = findChannelMessage(ctx);
  return 'id' in found ? json(found) : (found as Reply);
});
route('PATCH', '/channels/:channel/messages/:message', editChannelMessage);
route('DELETE', '/channels/:channel/messages/:message', (ctx) => {
  const found = findChannelMessage(ctx);
  if (!('id' in found)) return found as Reply;
  const message = found as RawMessage;
  if (message.author.id !== ctx.fake.ids.botUser && (ctx.fake.botPermissions(message.channel_id) & PermissionFlagsBits.ManageMessages) === 0n) {
    return missingPermissions();
  }
  deleteMessage(ctx.fake, message, 'channel');
  return noContent();
});
route('POST', '/channels/:channel/messages/:message/threads', (ctx) => startThread(ctx, true));
route('POST', '/channels/:channel/threads', (ctx) => startThread(ctx, false));
route('PUT', '/channels/:channel/thread-members/@me', ({ fake, params }) => (fake.threads.has(params.channel!) ? noContent() : unknownChannel()));
route('DELETE', '/channels/:channel/thread-members/@me', ({ fake, params }) => (fake.threads.has(params.channel!) ? noContent() : unknownChannel()));
route('POST', '/channels/:channel/typing', ({ fake, params }) => (fake.channels.has(params.channel!) ? noContent() : unknownChannel()));
route('PUT', '/channels/:channel/messages/:message/reactions/:emoji/@me', (ctx) => {
  const found = findChannelMessage(ctx);
  return 'id' in found ? noContent() : (found as Reply);
});
route('GET', '/guilds/:guild', ({ fake, params }) => {
  const guild = fake.guilds.get(params.guild!);
  return guild ? json(fake.guildJson(guild)) : apiError(404, 10004, 'Unknown Guild');
});
route('GET', '/guilds/:guild/channels', ({ fake, params }) => {
  const guild = fake.guilds.get(params.guild!);
  if (!guild) return apiError(404, 10004, 'Unknown Guild');
  return json(guild.channelIds.map((id) => fake.channels.get(id)));
});
route('GET', '/guilds/:guild/members/:user', ({ fake, params }) => {
  if (!fake.guilds.has(params.guild!)) return apiError(404, 10004, 'Unknown Guild');
  const member = fake.memberPayload(params.guild!, params.user!);
  return member ? json(member) : apiError(404, 10007, 'Unknown Member');
});

function matchRoute(method: string, segments: string[]): { route: Route; params: Record<string, string> } | undefined {
  // Literal segments win over parameters (e.g. /users/@me vs /users/:user).
  let best: { route: Route; params: Record<string, string>; score: number } | undefined;
  for (const r of ROUTES) {
    if (r.method !== method || r.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let score = 0;
    let ok = true;
    for (let i = 0; i < segments.length; i++) {
      const pattern = r.segments[i]!;
      const actual = segments[i]!;
      if (pattern.startsWith(':')) params[pattern.slice(1)] = actual;
      else if (pattern === actual) score++;
      else {
        ok = false;
        break;
      }
    }
    if (ok && (!best || score > best.score)) best = { route: r, params, score };
  }
  return best;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface ParsedBody {
  body: unknown;
  files: string[];
  /** The uploaded files' bytes by file name (multipart requests). */
  uploads: Map<string, Buffer>;
}

async function parseBody(raw: Buffer, contentType: string): Promise<ParsedBody> {
  const uploads = new Map<string, Buffer>();
  if (raw.length === 0) return { body: undefined, files: [], uploads };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: string[] = [];
    let body: unknown;
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json' && typeof value === 'string') body = JSON.parse(value);
      else if (typeof value !== 'string') {
        files.push(value.name);
        uploads.set(value.name, Buffer.from(await value.arrayBuffer()));
      }
    }
    return { body, files, uploads };
  }
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text), files: [], uploads };
  } catch {
    return { body: text, files: [], uploads };
  }
}

/** Discord's upload limits for a bot without boosts: 10 files, 10 MiB in all (larger → 413, code 40005). */
export const UPLOAD_LIMITS = { files: 10, bytes: 10 * 1024 * 1024 } as const;

function uploadError(files: string[], uploads: Map<string, Buffer>): Reply | undefined {
  let total = 0;
  for (const data of uploads.values()) total += data.length;
  if (total > UPLOAD_LIMITS.bytes) return apiError(413, 40005, 'Request entity too large');
  if (files.length > UPLOAD_LIMITS.files) return apiError(400, 50035, 'Invalid Form Body', { files: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }] } });
  return undefined;
}

/** @internal HTTP entry point used by FakeDiscord. */
export async function handleHttpRequest(fake: FakeDiscord, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = (req.method ?? 'GET').toUpperCase();
  const rawPath = url.pathname;
  const stripped = rawPath.replace(/^\/api/, '').replace(/^\/v\d+/, '');
  const segments = stripped.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  const path = `/${segments.join('/')}`;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  const query = Object.fromEntries(url.searchParams.entries());
  let reply: Reply;
  let body: unknown;
  let files: string[] = [];
  let uploads = new Map<string, Buffer>();
  let unknown = false;
  try {
    ({ body, files, uploads } = await parseBody(await readBody(req), headers['content-type'] ?? ''));
    fake.currentUploads = uploads;
    const tooLarge = uploadError(files, uploads);
    const matched = matchRoute(method, segments);
    const failIndex = fake.failRules.findIndex(
      (r) => (!r.method || r.method.toUpperCase() === method) && (typeof r.path === 'string' ? r.path === path : r.path.test(path)),
    );
    if (tooLarge) {
      reply = tooLarge;
    } else if (!matched) {
      unknown = true;
      reply = apiError(404, 0, '404: Not Found');
    } else if (matched.route.auth && headers.authorization !== `Bot ${fake.token}`) {
      reply = apiError(401, 0, '401: Unauthorized');
    } else if (failIndex >= 0) {
      const rule = fake.failRules[failIndex]!;
      rule.times = (rule.times ?? 1) - 1;
      if (rule.times <= 0) fake.failRules.splice(failIndex, 1);
      reply = apiError(rule.status, rule.code ?? 0, rule.message ?? `${rule.status}: Scripted failure`);
    } else {
      reply = matched.route.handler({
        fake,
        method,
        params: matched.params,
        query,
        body: (body ?? {}) as Json,
        files,
      });
    }
  } catch (error) {
    reply = apiError(500, 0, `500: fake-discord internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
  fake.requests.push({
    method,
    path,
    rawPath,
    query,
    headers,
    body,
    files,
    at: Date.now(),
    status: reply.status,
    response: reply.body,
    unknown,
  });
  const outHeaders: Record<string, string> = { ...reply.headers };
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status === 200 ? 204 : reply.status, outHeaders);
    res.end();
  } else {
    outHeaders['content-type'] = 'application/json';
    res.writeHead(reply.status, outHeaders);
    res.end(JSON.stringify(reply.body));
  }
  fake.notify();
}
