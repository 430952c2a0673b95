import * as ask from '../../commands/ask.js';
import * as compare from '../../commands/compare.js';
import * as digest from '../../commands/digest.js';
import * as help from '../../commands/help.js';
import * as paper from '../../commands/paper.js';
import * as search from '../../commands/search.js';
import * as summarize from '../../commands/summarize.js';
import type { BotCommand } from './bot-context.js';

type CommandModule = Pick<BotCommand, 'data' | 'defer' | 'execute'> & Partial<Pick<BotCommand, 'usesModel' | 'validate' | 'autocomplete'>>;

const MODULES: readonly CommandModule[] = [ask, compare, summarize, search, paper, digest, help];

function toCommand(module: CommandModule): BotCommand {
  const command: BotCommand = { data: module.data, defer: module.defer, execute: module.execute };
  if (module.usesModel) command.usesModel = true;
  if (module.validate) command.validate = module.validate;
  if (module.autocomplete) command.autocomplete = module.autocomplete;
  return command;
}

/** Every slash command, by name (one module per command in commands/). */
export function loadCommands(modules: readonly CommandModule[] = MODULES): Map<string, BotCommand> {
  return new Map(modules.map((module) => [module.data.name, toCommand(module)]));
}

/** The JSON bodies deploy-commands registers. */
export function commandDefinitions(): ReturnType<BotCommand['data']['toJSON']>[] {
  return [...loadCommands().values()].map((command) => command.data.toJSON());
}
