import dotenv from 'dotenv';
import { loadConfig, type Config } from '../config.js';

/** Read `.env` from the working directory into `env`; values already in the environment win. */
export function readDotenv(env: NodeJS.ProcessEnv = process.env): void {
  dotenv.config({ quiet: true, processEnv: env as Record<string, string> });
}

/**
 * Read `.env` and parse the core configuration once. Shells call this at start-up; a bad value throws
 * ConfigError naming it. (The bot reads its own, larger configuration with `loadBotConfigOrExit`.)
 */
export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): Config {
  readDotenv(env);
  return loadConfig(env);
}
