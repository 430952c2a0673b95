import readline from 'node:readline';
import type { AnswerSource, ConversationTurn } from '../answer/answer-types.js';
import type { Paperbot } from '../app/paperbot.js';
import { isUserFacingError } from '../errors.js';
import { formatSources } from './format-output.js';
import { printAnswer } from './print-answer.js';

const HELP = 'Ask about the papers; follow-up questions use the conversation so far.\nCommands: /reset (forget the conversation), /sources (sources of the last answer), /help, Ctrl-D to leave.';

/** An interactive question-answer session with follow-ups, on any input/output streams. */
export async function runChat(bot: Paperbot, io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }): Promise<void> {
  const write = (text: string) => io.output.write(text.endsWith('\n') ? text : `${text}\n`);
  const rl = readline.createInterface({ input: io.input, output: io.output, terminal: Boolean((io.input as { isTTY?: boolean }).isTTY) });
  let history: ConversationTurn[] = [];
  let lastSources: AnswerSource[] = [];

  write(`paperbot chat — ${bot.paperCount()} papers. ${HELP}`);
  if (!bot.llmEnabled) write('No language model configured (set OPENAI_API_KEY or OPENAI_BASE_URL in .env): answers are the most relevant passages.');
  rl.setPrompt('you> ');
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '') {
      rl.prompt();
      continue;
    }
    if (line.startsWith('/')) {
      if (line === '/reset') {
        history = [];
        lastSources = [];
        write('Conversation cleared.');
      } else if (line === '/sources') {
        write(lastSources.length > 0 ? formatSources(lastSources) : 'No sources yet: ask a question first.');
      } else if (line === '/help') {
        write(HELP);
      } else if (line === '/exit' || line === '/quit') {
        break;
      } else {
        write(`Unknown command ${line}. ${HELP}`);
      }
      rl.prompt();
      continue;
    }
    try {
      const result = await printAnswer(io.output, (onToken) => bot.ask(line, { history, onToken }), { stream: bot.llmEnabled, prefix: 'bot> ' });
      history.push({ role: 'user', content: line }, { role: 'assistant', content: result.answer });
      if (result.sources.length > 0) lastSources = result.sources;
    } catch (error) {
      if (!isUserFacingError(error)) throw error;
      write(`bot> ${error.message}`);
    }
    rl.prompt();
  }
  rl.close();
  write('Bye.');
}
