import type { ChildProcess } from 'node:child_process';
import { ShardingManager, type Shard } from 'discord.js';
import type { Logger } from '../app/logger.js';
import type { Clock, TimerHandle } from './clock.js';
import { startGroups, type ShardPlan } from './plan-shards.js';

/** Discord lets each identify bucket start one session per 5 s: start-up groups are this far apart. */
export const IDENTIFY_INTERVAL_MS = 5_500;
/** The first respawn of a dead shard waits this long; each further crash in a row doubles it, up to the maximum. */
export const RESPAWN_BASE_DELAY_MS = 1_000;
export const RESPAWN_MAX_DELAY_MS = 60_000;
/** A shard that ran this long before dying was not crash-looping: its respawn is quick again. */
export const STABLE_RUN_MS = 60_000;
/** How long stop() waits for a shard to finish its own shutdown before killing it. */
const STOP_TIMEOUT_MS = 30_000;

/** The wait before respawning a shard that died `crashesInARow` times in a row (1 = the first time). */
export function respawnDelayMs(crashesInARow: number): number {
  return Math.min(RESPAWN_BASE_DELAY_MS * 2 ** Math.max(0, crashesInARow - 1), RESPAWN_MAX_DELAY_MS);
}

export interface ShardSupervisorOptions {
  /** The bot's entry point (one process per shard). */
  file: string;
  execArgv: string[];
  token: string;
  plan: ShardPlan;
  logger: Logger;
  clock: Clock;
}

export interface ShardSupervisor {
  /** Start every shard (in identify groups); resolves once each one is ready or has died once. */
  start(): Promise<void>;
  /** Stop respawning, send every shard SIGTERM and wait for them (SIGKILL after 30 s). */
  stop(): Promise<void>;
}

/** Start a shard's process (no wait for READY: the shard's `ready` event says when). */
function spawnShard(shard: Shard, logger: Logger): void {
  shard.spawn(-1).catch((error: unknown) => logger.error({ err: error, event: 'shard-spawn-failed', shardId: shard.id }, 'could not start a shard process'));
}

interface Supervision {
  logger: Logger;
  clock: Clock;
  /** Pending respawn timers, by shard id. */
  respawns: Map<number, TimerHandle>;
  stopping(): boolean;
}

/** Log a shard's life, and start it again when its process dies (backing off while it keeps dying). */
function superviseShard(shard: Shard, supervision: Supervision): void {
  const { logger, clock, respawns } = supervision;
  let crashes = 0;
  let spawnedAt = clock.now();
  // mode 'process': every shard is a ChildProcess (never a Worker).
  shard.on('spawn', (spawned) => {
    spawnedAt = clock.now();
    logger.info({ event: 'shard-spawned', shardId: shard.id, pid: (spawned as ChildProcess).pid }, 'shard process started');
  });
  shard.on('ready', () => logger.info({ event: 'shard-ready', shardId: shard.id }, 'shard ready'));
  shard.on('death', (exited) => {
    if (supervision.stopping()) return;
    const child = exited as ChildProcess;
    crashes = clock.now() - spawnedAt >= STABLE_RUN_MS ? 1 : crashes + 1;
    const delayMs = respawnDelayMs(crashes);
    logger.warn({ event: 'shard-died', shardId: shard.id, pid: child.pid, code: child.exitCode, signal: child.signalCode, delayMs }, 'a shard process exited; respawning it');
    const timer = clock.setTimeout(() => {
      respawns.delete(shard.id);
      if (!supervision.stopping()) spawnShard(shard, logger);
    }, delayMs);
    respawns.set(shard.id, timer);
  });
}

/** SIGTERM a shard's process (no respawn) and wait for it to exit; SIGKILL after STOP_TIMEOUT_MS. */
async function stopShardProcess(shard: Shard): Promise<void> {
  const child = shard.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  shard.kill();
  await exited;
  clearTimeout(killer);
}

/** Runs one process per shard with discord.js's ShardingManager and respawns a shard whose process died. */
export function createShardSupervisor(options: ShardSupervisorOptions): ShardSupervisor {
  const { logger, clock, plan } = options;
  const manager = new ShardingManager(options.file, { totalShards: plan.count, token: options.token, execArgv: options.execArgv, respawn: false, mode: 'process' });
  const respawns = new Map<number, TimerHandle>();
  let stopping = false;
  let onStop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (onStop = resolve));
  const supervision: Supervision = { logger, clock, respawns, stopping: () => stopping };

  /** Resolves when the shard is ready, has died, or the supervisor stops. */
  const settled = (shard: Shard) =>
    Promise.race([new Promise<void>((resolve) => shard.once('ready', resolve)), new Promise<void>((resolve) => shard.once('death', () => resolve())), stopped]);

  return {
    async start() {
      logger.info({ event: 'shards-starting', count: plan.count, recommended: plan.recommended, maxConcurrency: plan.maxConcurrency }, `starting ${plan.count} shards`);
      const groups = startGroups(plan);
      for (const [index, ids] of groups.entries()) {
        if (stopping) return;
        const shards = ids.map((id) => manager.createShard(id));
        for (const shard of shards) superviseShard(shard, supervision);
        const group = Promise.all(shards.map(settled));
        for (const shard of shards) spawnShard(shard, logger);
        await group;
        if (index < groups.length - 1) await Promise.race([new Promise<void>((resolve) => clock.setTimeout(resolve, IDENTIFY_INTERVAL_MS)), stopped]);
      }
      logger.info({ event: 'shards-started', count: plan.count }, 'every shard was started');
    },
    async stop() {
      stopping = true;
      onStop();
      for (const timer of respawns.values()) clock.clearTimeout(timer);
      respawns.clear();
      await Promise.all([...manager.shards.values()].map(stopShardProcess));
      logger.info({ event: 'shards-stopped' }, 'every shard stopped');
    },
  };
}
