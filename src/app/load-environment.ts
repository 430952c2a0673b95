import dotenv from 'dotenv';
import { loadConfig, type Config } from '../config.js';

/**
 * Read `.env` (from the working directory; values already in the environment win) and parse the
 * configuration once. Shells call this at start-up; a bad value throws ConfigError naming it.
 */
export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): Config {
  dotenv.config({ quiet: true, processEnv: env as Record<string, string> });
  return loadConfig(env);
}
