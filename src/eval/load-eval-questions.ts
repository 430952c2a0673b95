import { z } from 'zod';
import { parseIdLines, readLinesFile } from './parse-id-lines.js';

/** One retrieval evaluation question: free text → the titles a good search must return. */
export interface EvalQuestion {
  id: string;
  question: string;
  expected: string[];
  kind: string;
}

const titles = z.array(z.string().trim().min(1)).min(1);
const questionSchema = z.object({
  id: z.string().min(1),
  question: z.string().trim().min(1),
  expected: titles,
  kind: z.string().min(1).default('lookup'),
});
/** A topic with every relevant paper: `{id, topic, relevant: [titles]}` → kind "topic". */
const topicSchema = z
  .object({ id: z.string().min(1), topic: z.string().trim().min(1), relevant: titles })
  .transform((t) => ({ id: t.id, question: t.topic, expected: t.relevant, kind: 'topic' }));
/** A method name defined in one paper's abstract: `{id, name, expected: title}` → kind "method-name". */
const methodNameSchema = z
  .object({ id: z.string().min(1), name: z.string().trim().min(1), expected: z.string().trim().min(1) })
  .transform((m) => ({ id: m.id, question: m.name, expected: [m.expected], kind: 'method-name' }));
/** The schema a line follows, told by its keys (so a bad line gets that schema's messages). */
function schemaOf(raw: unknown): z.ZodType<EvalQuestion> {
  if (raw && typeof raw === 'object' && !('question' in raw)) {
    if ('topic' in raw) return topicSchema;
    if ('name' in raw) return methodNameSchema;
  }
  return questionSchema;
}

export class EvalQuestionsError extends Error {
  override readonly name = 'EvalQuestionsError';
}

/**
 * Read a JSONL file of questions (`{id, question, expected, kind?}`; topic lines `{id, topic, relevant}` and
 * method-name lines `{id, name, expected}` are read as questions too). A malformed line throws an error
 * naming the file and line.
 */
export function loadEvalQuestions(file: string): EvalQuestion[] {
  const fail = (message: string, cause?: unknown) => new EvalQuestionsError(message, cause === undefined ? undefined : { cause });
  return parseIdLines<EvalQuestion>(readLinesFile(file, fail), file, schemaOf, fail);
}
