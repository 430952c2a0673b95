import type { GapReport } from './gap-log.js';

/** The report as JSON (`paperbot gaps --json`): stable field names, times as ISO strings. */
export function gapReportToJson(report: GapReport): object {
  return {
    since: new Date(report.since).toISOString(),
    total: report.total,
    topics: report.topics.map((t) => ({ topic: t.topic, count: t.count, askers: t.askers, examples: t.examples, lastAskedAt: new Date(t.lastAskedAt).toISOString() })),
  };
}

/** One line of a question, at most `max` characters. */
export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** The report as text lines: the headline, then per topic `count  topic (n people)` and its examples. */
export function gapReportLines(report: GapReport): string[] {
  const since = new Date(report.since).toISOString().slice(0, 10);
  if (report.total === 0) return [`No coverage gaps since ${since}: every question found sources.`];
  const lines = [`Coverage gaps since ${since}: ${report.total} question${report.total === 1 ? '' : 's'} refused or answered without sources.`];
  for (const topic of report.topics) {
    lines.push(`${String(topic.count).padStart(4)}  ${topic.topic}  (${topic.askers} ${topic.askers === 1 ? 'person' : 'people'})`);
    for (const example of topic.examples) lines.push(`        “${oneLine(example, 160)}”`);
  }
  return lines;
}
