import type { AnswerSource } from '../answer/answer-types.js';
import type { PaperEntry } from '../corpus/paper.js';
import { UserFacingError } from '../errors.js';
import type { FeedbackStore } from '../state/feedback-store.js';
import { exportSources, type ExportFormat, type SourcesFile } from './export-sources.js';

/** Answers read per thread export (the newest ones; a thread's memory keeps far fewer turns). */
export const EXPORT_ANSWERS_MAX = 500;

/** The distinct sources of every answer shown in a thread, oldest answer first. */
export async function threadSources(feedback: Pick<FeedbackStore, 'answersInChannel'>, threadId: string): Promise<AnswerSource[]> {
  const answers = await feedback.answersInChannel(threadId, EXPORT_ANSWERS_MAX);
  if (answers.length === 0) throw new UserFacingError('unknown-thread', `No answers on record in thread ${threadId}: it is not one of the bot's threads, or its state was reset.`);
  return answers.flatMap((answer) => answer.sources);
}

/** A thread's cited papers as a `.bib` or `.md` file named after the thread. */
export async function exportThreadSources(
  feedback: Pick<FeedbackStore, 'answersInChannel'>,
  getPapers: (ids: readonly string[]) => Promise<ReadonlyMap<string, PaperEntry>>,
  threadId: string,
  format: ExportFormat,
): Promise<SourcesFile> {
  const sources = await threadSources(feedback, threadId);
  const papers = await getPapers(sources.map((source) => source.id));
  return exportSources(sources, (id) => papers.get(id), { format, baseName: `thread-${threadId}-sources`, heading: 'Sources cited in this thread' });
}
