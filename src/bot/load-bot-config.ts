import { z } from 'zod';
import { readDotenv } from '../app/load-environment.js';
import { ConfigError, coreConfigFrom, coreEnvSchema, emptyToUndefined, intWithDefault, optionalString, parseEnvironment, PROJECT_ROOT, url, type Config } from '../config.js';
import { cronPatternProblem, isValidTimezone } from './digest/digest-schedule.js';
import type { DigestConfig } from './digest/digest-setup.js';
import { fetchConfigFrom, type FetchConfig } from './fetch/fetch-config.js';
import { shardCountSchema, shardOfProcess, type ShardingConfig } from './shard-settings.js';

const snowflake = z.preprocess(emptyToUndefined, z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)').optional());

/** The core's variables plus the bot's own (Discord, digests). */
const botEnvSchema = coreEnvSchema
  .extend({
    DISCORD_TOKEN: optionalString,
    DISCORD_GUILD_ID: snowflake,
    DISCORD_API_BASE: url,
    USER_COOLDOWN_SECONDS: intWithDefault(10, 0, 3_600),
    THREAD_HISTORY_TURNS: intWithDefault(12, 1, 200),
    DIGEST_CHANNEL_ID: snowflake,
    DIGEST_CRON: z.preprocess(emptyToUndefined, z.string().trim().default('0 9 * * 1')),
    DIGEST_TIMEZONE: z.preprocess(emptyToUndefined, z.string().trim().default('UTC')),
    DIGEST_TOPICS: optionalString,
    SHARD_COUNT: shardCountSchema,
  })
  .superRefine((e, ctx) => {
    if (!isValidTimezone(e.DIGEST_TIMEZONE)) {
      ctx.addIssue({ code: 'custom', path: ['DIGEST_TIMEZONE'], message: 'unknown IANA time zone' });
      return;
    }
    const problem = cronPatternProblem(e.DIGEST_CRON, e.DIGEST_TIMEZONE);
    if (problem) ctx.addIssue({ code: 'custom', path: ['DIGEST_CRON'], message: `${problem}; e.g. "0 9 * * 1" = Mondays 09:00` });
  });

/** The bot's configuration: the core's, plus Discord and digest settings (only the bot ever sees the token). */
export interface BotConfig extends Config {
  discord: {
    token: string | undefined;
    guildId: string | undefined;
    apiBase: string | undefined;
    userCooldownSeconds: number;
    threadHistoryTurns: number;
  };
  digest: DigestConfig;
  /** Scheduled feed fetches (FETCH_CRON, FEEDS / FEEDS_FILE and the feed variables). */
  fetch: FetchConfig;
  sharding: ShardingConfig;
}

/** Parse the bot's configuration once; a bad value throws a ConfigError naming the variable. */
export function loadBotConfig(env: NodeJS.ProcessEnv = process.env, projectRoot: string = PROJECT_ROOT): BotConfig {
  const e = parseEnvironment(botEnvSchema, env);
  return {
    ...coreConfigFrom(e, projectRoot),
    discord: {
      token: e.DISCORD_TOKEN,
      guildId: e.DISCORD_GUILD_ID,
      apiBase: e.DISCORD_API_BASE,
      userCooldownSeconds: e.USER_COOLDOWN_SECONDS,
      threadHistoryTurns: e.THREAD_HISTORY_TURNS,
    },
    digest: {
      channelId: e.DIGEST_CHANNEL_ID,
      cron: e.DIGEST_CRON,
      timezone: e.DIGEST_TIMEZONE,
      topics: (e.DIGEST_TOPICS ?? '').split(/[;\n]/).map((topic) => topic.trim()).filter(Boolean),
    },
    fetch: fetchConfigFrom(env, e.DIGEST_TIMEZONE),
    sharding: { shardCount: e.SHARD_COUNT, shard: shardOfProcess(env) },
  };
}

/**
 * Configuration for the bot's programs (`npm start`, `npm run deploy-commands`): `.env`, then the
 * variables; a bad value or a missing DISCORD_TOKEN prints `missingTokenHelp` / the problem and exits 1.
 */
export function loadBotConfigOrExit(missingTokenHelp: string): BotConfig & { discord: { token: string } } {
  let config: BotConfig;
  try {
    readDotenv();
    config = loadBotConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const token = config.discord.token;
  if (!token) {
    console.error(missingTokenHelp);
    process.exit(1);
  }
  return { ...config, discord: { ...config.discord, token } };
}
