import type { CommandModule } from '../src/bot/command-registry.js';
import { loadCommands } from '../src/bot/command-registry.js';
import * as ask from './ask.js';
import * as catchup from './catchup.js';
import * as compare from './compare.js';
import * as consensus from './consensus.js';
import * as digest from './digest.js';
import * as exportSources from './export.js';
import * as gaps from './gaps.js';
import * as help from './help.js';
import * as paper from './paper.js';
import * as search from './search.js';
import * as summarize from './summarize.js';
import * as unwatch from './unwatch.js';
import * as watch from './watch.js';
import * as watches from './watches.js';

/** Every slash command module, in the order /help and the registration list them. A new command goes here. */
export const COMMAND_MODULES: readonly CommandModule[] = [ask, compare, summarize, consensus, search, paper, digest, watch, unwatch, watches, exportSources, catchup, gaps, help];

/** The bot's commands by name. */
export const allCommands = () => loadCommands(COMMAND_MODULES);
