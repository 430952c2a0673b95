import { afterEach, describe, expect, it } from 'vitest';
import {
  ChannelType,
  Client,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  Status,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type Message,
} from 'discord.js';
import { DISCORD_ACK_WINDOW_MS, startFakeDiscord, type FakeDiscord } from './index.js';

const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(
  options: Parameters<typeof startFakeDiscord>[0] = {},
  intents: number[] = INTENTS,
  clientOptions: Omit<ClientOptions, 'intents' | 'rest'> = {},
): Promise<{ fake: FakeDiscord; client: Client }> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000, ...options });
  cleanups.push(() => fake.close());
  const client = new Client({ ...clientOptions, intents, rest: { api: fake.apiBase } });
  cleanups.push(() => client.destroy());
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(fake.token);
  await ready;
  return { fake, client };
}

function nextEvent<T>(client: Client, event: string, filter: (value: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const listener = (value: T): void => {
      if (!filter(value)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(value);
    };
    client.on(event, listener);
  });
}

describe('fake Discord with the real discord.js client', () => {
  it('connects: READY fires and the guild, channels, roles and members are cached', async () => {
    const { fake, client } = await setup();
    expect(client.user?.id).toBe(fake.ids.botUser);
    expect(client.application?.id).toBe(fake.ids.application);
    const guild = client.guilds.cache.get(fake.ids.guild);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(fake.ids.textChannel)?.type).toBe(ChannelType.GuildText);
    expect(guild?.roles.everyone.id).toBe(fake.ids.guild);
    expect(guild?.members.me?.roles.cache.has(fake.ids.botRole)).toBe(true);
    expect(guild?.members.cache.has(fake.ids.adminUser)).toBe(true);
    // snowflakes look real: 17–19 digits
    for (const id of Object.values(fake.ids)) expect(id).toMatch(/^\d{17,19}$/);
    // IDENTIFY recorded with the requested intents
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]?.intents).toBe(client.options.intents.bitfield);
    expect(fake.gatewayConnections[0]?.url).toContain('v=10');
    expect(fake.gatewayConnections[0]?.url).toContain('encoding=json');
    expect(fake.gatewayConnections[0]?.url).not.toContain('compress');
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot')).toBe(true);
  });

  it('slash command → deferReply then editReply with embed and allowedMentions.parse = []', async () => {
    const { fake, client } = await setup();
    const got = nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: 'What is attention?' } });
    const interaction = await got;
    expect(interaction.isChatInputCommand()).toBe(true);
    expect(interaction.commandName).toBe('ask');
    expect(interaction.options.getString('question')).toBe('What is attention?');
    expect(interaction.user.id).toBe(fake.ids.normalUser);
    expect(interaction.channelId).toBe(fake.ids.textChannel);

    await interaction.deferReply();
    const callback = await fake.waitForInteractionResponse(sent.id);
    expect(callback.type).toBe(5);
    expect(fake.getOriginal(sent.token)?.flags ?? 0).toBeGreaterThan(0); // LOADING

    const embed = new EmbedBuilder().setTitle('Answer').setDescription(`Mentioning <@${fake.ids.adminUser}> [1]`);
    const edited = await interaction.editReply({
      content: `cc <@${fake.ids.adminUser}>`,
      embeds: [embed],
      allowedMentions: { parse: [] },
    });
    expect(edited.id).toBe(fake.getOriginal(sent.token)?.id);

    const patch = fake.requests.find((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'));
    expect(patch?.path).toBe(`/webhooks/${fake.ids.application}/${sent.token}/messages/@original`);
    expect(patch?.rawPath).toContain('%40original');
    expect(patch?.headers.authorization).toBeUndefined();
    expect((patch?.body as { allowed_mentions?: { parse?: unknown[] } }).allowed_mentions?.parse).toEqual([]);
    const original = fake.getOriginal(sent.token);
    expect(original?.embeds[0]?.title).toBe('Answer');
    expect(original?.mentions).toEqual([]); // parse: [] → nobody pinged
    expect(original?.flags).toBe(0); // loading flag cleared
    // callback was recorded before the edit
    const callbackIndex = fake.requests.findIndex((r) => r.path.endsWith('/callback'));
    expect(callbackIndex).toBeGreaterThanOrEqual(0);
    expect(callbackIndex).toBeLessThan(fake.requests.indexOf(patch!));
  });

  it('autocomplete → respond([...]) is recorded', async () => {
    const { fake, client } = await setup();
    client.on(Events.InteractionCreate, (i) => {
      if (!i.isAutocomplete()) return;
      const focused = i.options.getFocused();
      void i.respond([
        { name: `Attention is all you need (${focused})`, value: '1706.03762' },
        { name: 'BERT', value: '1810.04805' },
      ]);
    });
    const sent = fake.sendAutocomplete({ name: 'paper', focused: 'id', value: 'atten' });
    const callback = await fake.waitForInteractionResponse(sent.id);
    expect(callback.type).toBe(8);
    const choices = fake.interactions.get(sent.id)?.autocompleteChoices;
    expect(choices).toEqual([
      { name: 'Attention is all you need (atten)', value: '1706.03762' },
      { name: 'BERT', value: '1810.04805' },
    ]);
  });

  it('answers a first response later than 3 s after dispatch with 10062 Unknown interaction, like Discord', async () => {
    const { fake, client } = await setup();
    expect(fake.options.interactionDeadlineMs).toBe(DISCORD_ACK_WINDOW_MS);
    const got = nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: 'late?' } });
    const interaction = await got;
    // The interaction was dispatched just over 3 s ago.
    fake.interactions.get(sent.id)!.createdAt -= DISCORD_ACK_WINDOW_MS + 1;
    await expect(interaction.deferReply()).rejects.toMatchObject({ code: 10062 });
    expect(fake.interactions.get(sent.id)?.callbacks).toEqual([]);
  });

  it('startThread on a reply → THREAD_CREATE → a later MESSAGE_CREATE in the thread reaches messageCreate', async () => {
    const { fake, client } = await setup();
    client.on(Events.InteractionCreate, (i) => {
      if (!i.isChatInputCommand()) return;
      void (async () => {
        await i.reply({ content: 'Answer with sources [1]' });
        const reply = await i.fetchReply();
        await reply.startThread({ name: 'Follow-up: attention' });
      })();
    });
    const threadCreated = nextEvent<{ id: string }>(client, Events.ThreadCreate);
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: 'attention?' } });
    const thread = await threadCreated;
    const original = fake.getOriginal(sent.token);
    expect(original).toBeDefined();
    expect(thread.id).toBe(original?.id); // thread started from a message shares its id
    expect(fake.threads.get(thread.id)?.type).toBe(11);
    expect(fake.threads.get(thread.id)?.parent_id).toBe(fake.ids.textChannel);
    expect(fake.requests.some((r) => r.method === 'POST' && r.path === `/channels/${fake.ids.textChannel}/messages/${original?.id}/threads`)).toBe(true);

    const received = nextEvent<Message>(client, Events.MessageCreate, (m) => m.channelId === thread.id);
    fake.sendMessage({ channelId: thread.id, content: 'and what about transformers?' });
    const message = await received;
    expect(message.content).toBe('and what about transformers?');
    expect(message.channel.isThread()).toBe(true);
    expect(message.author.id).toBe(fake.ids.normalUser);
  });

  it('denied thread creation answers 403 Missing Permissions (50013)', async () => {
    const { fake, client } = await setup();
    fake.setPermissions({ createThreads: false });
    const channel = await client.channels.fetch(fake.ids.textChannel);
    if (!channel?.isSendable() || channel.type !== ChannelType.GuildText) throw new Error('expected a text channel');
    const message = await channel.send('hello');
    await expect(message.startThread({ name: 'x' })).rejects.toMatchObject({ status: 403, code: 50013 });
    // the overwrite also reached the client cache, so the bot can check before trying
    await fake.waitUntil(() => (channel.permissionsFor(client.user!)?.has('CreatePublicThreads') === false ? true : undefined));
  });

  it('gateway drop → client RESUMEs (op 6), missed events are replayed, and interactions still arrive', async () => {
    const { fake, client } = await setup();
    const resumed = nextEvent<number>(client, Events.ShardResume, () => true, 10_000);
    fake.closeGateway(4000);
    // dispatched while the client is disconnected → buffered and replayed on RESUME
    const missed = fake.sendSlashCommand({ name: 'ask', options: { question: 'missed?' } });
    const replayed = nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate, (i) => i.id === missed.id, 10_000);
    await resumed;
    expect((await replayed).id).toBe(missed.id);
    expect(fake.resumes).toHaveLength(1);
    expect(fake.gatewayReceived.some((p) => p.op === 6)).toBe(true);
    expect(fake.identifies).toHaveLength(1); // no re-identify

    // and an abrupt TCP drop (1006) also resumes
    const resumedAgain = nextEvent<number>(client, Events.ShardResume, () => true, 10_000);
    fake.closeGateway(1006);
    await resumedAgain;
    expect(fake.resumes).toHaveLength(2);
    const got = nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: 'after resume' } });
    const interaction = await got;
    expect(interaction.id).toBe(sent.id);
    await interaction.reply({ content: 'still here' });
    expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(4);
    expect(fake.getOriginal(sent.token)?.content).toBe('still here');
  });

  it('4014 (disallowed intents) during login: login rejects, shardError "Used disallowed intents"', async () => {
    const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000, disallowedIntents: GatewayIntentBits.MessageContent });
    cleanups.push(() => fake.close());
    const client = new Client({ intents: INTENTS, rest: { api: fake.apiBase } });
    cleanups.push(() => client.destroy());
    const errors: string[] = [];
    client.on(Events.ShardError, (e) => errors.push(e.message));
    const disconnects: number[] = [];
    client.on(Events.ShardDisconnect, (e) => disconnects.push(e.code));
    await expect(client.login(fake.token)).rejects.toThrow('Used disallowed intents');
    expect(errors).toContain('Used disallowed intents');
    expect(disconnects).toEqual([4014]);
    expect(client.token).toBeNull(); // login() destroyed the client
    expect(fake.gatewayConnections[0]?.closeCode).toBe(4014);
    expect(fake.identifies).toHaveLength(1);
    await client.destroy();

    // restarting without MessageContent works
    const retry = new Client({ intents: INTENTS.filter((i) => i !== GatewayIntentBits.MessageContent), rest: { api: fake.apiBase } });
    cleanups.push(() => retry.destroy());
    await retry.login(fake.token);
    await fake.waitForReady();
    expect(fake.identifies).toHaveLength(2);
    expect((fake.identifies[1]!.intents as number) & GatewayIntentBits.MessageContent).toBe(0);
    // without MessageContent, guild message content arrives empty unless the bot is mentioned
    const plain = nextEvent<Message>(retry, Events.MessageCreate, (m) => m.author.id === fake.ids.normalUser);
    fake.sendMessage({ content: 'hidden text' });
    expect((await plain).content).toBe('');
    const mention = nextEvent<Message>(retry, Events.MessageCreate, (m) => m.content !== '');
    fake.sendMessage({ content: `<@${fake.ids.botUser}> visible` });
    expect((await mention).content).toBe(`<@${fake.ids.botUser}> visible`);
  });

  it('4014 after READY: the shard disconnects for good (shardError + shardDisconnect, no reconnect)', async () => {
    const { fake, client } = await setup();
    const errors: string[] = [];
    const reconnecting: number[] = [];
    client.on(Events.ShardError, (e) => errors.push(e.message));
    client.on(Events.ShardReconnecting, (id) => reconnecting.push(id));
    const disconnected = nextEvent<{ code: number }>(client, Events.ShardDisconnect);
    fake.closeGateway(4014);
    expect((await disconnected).code).toBe(4014);
    expect(errors).toContain('Used disallowed intents');
    // discord.js decides at the close: 'shardDisconnect' with the shard Disconnected means it will not reconnect.
    expect(client.ws.shards.get(0)?.status).toBe(Status.Disconnected);
    expect(reconnecting).toEqual([]);
    expect(fake.gatewayConnections).toHaveLength(1);
  });

  it('4004 revokes the token: a client reconnecting at that moment cannot RESUME or IDENTIFY past it', async () => {
    // discord.js spaces a shard's IDENTIFYs 5–6.5 s apart (Discord's session start limit); the fake does
    // not enforce that, and the re-IDENTIFY here is what must fail, so this client identifies unpaced.
    const { fake, client } = await setup({}, INTENTS, { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } });
    const disconnected = nextEvent<{ code: number }>(client, Events.ShardDisconnect, () => true, 10_000);
    // the client is between sockets (a drop it will RESUME from) when the token is revoked
    fake.closeGateway(1006);
    fake.closeGateway(4004);
    expect((await disconnected).code).toBe(4004);
    expect(fake.gateway.hasValidSession()).toBe(false);
    expect(fake.gatewayConnections.at(-1)?.closeCode).toBe(4004);
    // it did try both: its RESUME was answered with an invalid session, its new IDENTIFY closed with 4004
    expect(fake.resumes).toHaveLength(1);
    expect(fake.gatewayConnections.map((c) => c.kind)).toContain('invalid-session');
    expect(fake.identifies).toHaveLength(2);
  });

  it('buttons, follow-ups, channel messages, edits, rate measurement and unknown routes', async () => {
    const { fake, client } = await setup();
    const channel = await client.channels.fetch(fake.ids.textChannel);
    if (!channel?.isSendable()) throw new Error('expected sendable');
    const posted = await channel.send({ content: 'Pick one', components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'more:1', label: 'More' }] }] });
    for (let i = 0; i < 3; i++) await posted.edit(`Pick one (${i})`);
    expect(fake.messagesIn(fake.ids.textChannel).find((m) => m.id === posted.id)?.content).toBe('Pick one (2)');
    expect(fake.maxWritesInWindow(fake.ids.textChannel, 5000)).toBe(4);

    client.on(Events.InteractionCreate, (i) => {
      if (!i.isButton()) return;
      void (async () => {
        await i.update({ content: `clicked ${i.customId}`, components: [] });
        await i.followUp({ content: 'details', ephemeral: false });
      })();
    });
    const sent = fake.sendButton({ customId: 'more:1', messageId: posted.id });
    expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(7);
    await fake.waitUntil(() => (fake.followUps(sent.token).length === 1 ? true : undefined));
    expect(fake.getMessage(posted.id)?.content).toBe('clicked more:1');
    expect(fake.followUps(sent.token)[0]?.content).toBe('details');

    await posted.delete();
    expect(fake.getMessage(posted.id)).toBeUndefined();
    expect(fake.deletedMessages.some((m) => m.id === posted.id)).toBe(true);

    await expect(client.rest.get('/nope/route')).rejects.toMatchObject({ status: 404 });
    expect(fake.unknownRequests.map((r) => r.path)).toEqual(['/nope/route']);
    expect(fake.unknownRequests[0]?.response).toEqual({ message: '404: Not Found', code: 0 });
  });

  it('stores deployed commands and validates message limits', async () => {
    const { fake, client } = await setup();
    const app = await client.application!.fetch();
    expect(app.id).toBe(fake.ids.application);
    await client.application!.commands.set(
      [{ name: 'ask', description: 'Ask a question', options: [{ type: 3, name: 'question', description: 'q', required: true }] }],
      fake.ids.guild,
    );
    const stored = fake.registeredCommands(fake.ids.guild);
    expect(stored.map((c) => c.name)).toEqual(['ask']);
    expect(stored[0]?.id).toMatch(/^\d{17,19}$/);
    const channel = await client.channels.fetch(fake.ids.textChannel);
    if (!channel?.isSendable()) throw new Error('expected sendable');
    await expect(channel.send('x'.repeat(2001))).rejects.toMatchObject({ status: 400, code: 50035 });
    const member = await client.guilds.cache.get(fake.ids.guild)!.members.fetch({ user: fake.ids.adminUser, force: true });
    expect(member.roles.cache.has(fake.ids.adminRole)).toBe(true);
  });

  it('DMs: slash command in a DM, ephemeral defer + first follow-up replaces the thinking message, DM messages', async () => {
    const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
    cleanups.push(() => fake.close());
    const client = new Client({ intents: INTENTS, partials: [Partials.Channel], rest: { api: fake.apiBase } });
    cleanups.push(() => client.destroy());
    await client.login(fake.token);
    await fake.waitForReady();
    const got = nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: 'dm?' }, user: fake.ids.adminUser, dm: true });
    const interaction = await got;
    expect(interaction.inGuild()).toBe(false);
    expect(interaction.user.id).toBe(fake.ids.adminUser);
    expect(interaction.channel?.type).toBe(ChannelType.DM);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.followUp({ content: 'done' });
    const original = fake.getOriginal(sent.token);
    expect(original?.content).toBe('done');
    expect((original?.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(fake.followUps(sent.token)).toEqual([]);

    const dm = fake.dmChannelFor(fake.ids.normalUser);
    const received = nextEvent<Message>(client, Events.MessageCreate, (m) => m.channelId === dm.id);
    fake.sendMessage({ channelId: dm.id, content: 'hi in DM' });
    const message = await received;
    expect(message.content).toBe('hi in DM');
    expect(message.inGuild()).toBe(false);
    // bot replies via REST; wrong token is refused
    if (!message.channel.isSendable()) throw new Error('expected a sendable DM channel');
    await message.channel.send('hello back');
    const post = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${dm.id}/messages`);
    expect(post.status).toBe(200);
    const res = await fetch(`${fake.apiBase}/v10/users/@me`, { headers: { authorization: 'Bot wrong' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: '401: Unauthorized', code: 0 });
  });

  it('optional rate limit with x-ratelimit headers: discord.js paces itself, no 429, limit never exceeded', async () => {
    const { fake, client } = await setup({ rateLimit: { limit: 2, windowMs: 300 } });
    const channel = await client.channels.fetch(fake.ids.textChannel);
    if (!channel?.isSendable()) throw new Error('expected sendable');
    for (let i = 0; i < 5; i++) await channel.send(`m${i}`);
    expect(fake.messagesIn(fake.ids.textChannel).map((m) => m.content)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(fake.maxWritesInWindow(fake.ids.textChannel, 300)).toBe(2);
    const sends = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(sends.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it('optional rate limit without headers: the fake answers 429 and discord.js retries after retry-after', async () => {
    const { fake, client } = await setup({ rateLimit: { limit: 2, windowMs: 300, headers: false } });
    const channel = await client.channels.fetch(fake.ids.textChannel);
    if (!channel?.isSendable()) throw new Error('expected sendable');
    for (let i = 0; i < 3; i++) await channel.send(`m${i}`);
    expect(fake.messagesIn(fake.ids.textChannel).map((m) => m.content)).toEqual(['m0', 'm1', 'm2']);
    const limited = fake.requests.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]?.response).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(fake.maxWritesInWindow(fake.ids.textChannel, 300)).toBeLessThanOrEqual(2);
  });
});

describe('fake Discord: file uploads (multipart)', () => {
  it('keeps an uploaded file with its size and bytes; refuses uploads over 10 MiB with 40005', async () => {
    const { fake, client } = await setup();
    const channel = await client.channels.fetch(fake.ids.textChannel);
    if (!channel?.isSendable()) throw new Error('not sendable');
    const sent = await channel.send({ content: 'file', files: [{ attachment: Buffer.from('@misc{a,\n}\n'), name: 'sources.bib' }], allowedMentions: { parse: [] } });
    const attachment = sent.attachments.first()!;
    expect(attachment.name).toBe('sources.bib');
    expect(attachment.size).toBe(11);
    expect(fake.attachmentText(attachment.id)).toBe('@misc{a,\n}\n');
    await expect(channel.send({ files: [{ attachment: Buffer.alloc(10 * 1024 * 1024 + 1), name: 'big.bin' }] })).rejects.toMatchObject({ code: 40005, status: 413 });
  });
});
