/**
 * Characters per chunk of a streamed file (index.json, papers.json): below V8's large-object size,
 * so each chunk dies young in a scavenge instead of piling up in old space until a full GC.
 */
export const STREAM_CHUNK_CHARS = 48 * 1024;

/** A JSON array as chunks of about STREAM_CHUNK_CHARS (the same text as JSON.stringify). */
export function* jsonArrayChunks(values: readonly unknown[]): Generator<string> {
  let chunk = '[';
  for (let i = 0; i < values.length; i++) {
    chunk += `${i > 0 ? ',' : ''}${JSON.stringify(values[i])}`;
    if (chunk.length >= STREAM_CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]`;
}
