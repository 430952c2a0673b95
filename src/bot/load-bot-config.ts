import { loadEnvironment } from '../app/load-environment.js';
import { ConfigError, type Config } from '../config.js';

/**
 * Configuration for the bot's programs (`npm start`, `npm run deploy-commands`): a bad value or a
 * missing DISCORD_TOKEN prints `missingTokenHelp` / the problem and exits 1.
 */
export function loadBotConfigOrExit(missingTokenHelp: string): Config & { discord: { token: string } } {
  let config: Config;
  try {
    config = loadEnvironment();
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
