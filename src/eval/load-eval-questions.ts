import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One retrieval evaluation question: free text → the titles a good search must return. */
export interface EvalQuestion {
  id: string;
  question: string;
  expected: string[];
  kind: string;
}

const questionSchema = z.object({
  id: z.string().min(1),
  question: z.string().trim().min(1),
  expected: z.array(z.string().trim().min(1)).min(1),
  kind: z.string().min(1).default('lookup'),
});

export class EvalQuestionsError extends Error {
  override readonly name = 'EvalQuestionsError';
}

/** Read a JSONL file of questions; a malformed line throws an error naming the file and line. */
export function loadEvalQuestions(file: string): EvalQuestion[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EvalQuestionsError(`${file}: cannot read (${(error as Error).message})`, { cause: error });
  }
  const questions: EvalQuestion[] = [];
  const ids = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file}:${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new EvalQuestionsError(`${where}: not valid JSON (${(error as Error).message})`, { cause: error });
    }
    const parsed = questionSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`).join('; ');
      throw new EvalQuestionsError(`${where}: ${issues}`);
    }
    if (ids.has(parsed.data.id)) throw new EvalQuestionsError(`${where}: duplicate id ${JSON.stringify(parsed.data.id)}`);
    ids.add(parsed.data.id);
    questions.push(parsed.data);
  });
  return questions;
}
