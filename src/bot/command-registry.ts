import type { BotCommand } from './bot-context.js';

/**
 * What a module in commands/ exports. The dependency runs one way: command modules import the bot's
 * command API (this folder); the bot never imports commands/ — entry points pass the list in
 * (`commands/index.ts`).
 */
export type CommandModule = Pick<BotCommand, 'data' | 'defer' | 'execute'> & Partial<Pick<BotCommand, 'preconditions' | 'parse' | 'autocomplete'>>;

function toCommand(module: CommandModule): BotCommand {
  const command: BotCommand = { data: module.data, defer: module.defer, execute: module.execute };
  if (module.preconditions) command.preconditions = module.preconditions;
  if (module.parse) command.parse = module.parse;
  if (module.autocomplete) command.autocomplete = module.autocomplete;
  return command;
}

/** Commands by name (one module per command in commands/). */
export function loadCommands(modules: readonly CommandModule[]): Map<string, BotCommand> {
  return new Map(modules.map((module) => [module.data.name, toCommand(module)]));
}

/** The JSON bodies deploy-commands registers. */
export function commandDefinitions(commands: ReadonlyMap<string, BotCommand>): ReturnType<BotCommand['data']['toJSON']>[] {
  return [...commands.values()].map((command) => command.data.toJSON());
}
