import type { InvokeStream } from '../../../emulator/services/lambda-runtime/types.ts';

/** Reads every chunk of a streamed invoke, as text. */
export async function readAll(stream: InvokeStream): Promise<string[]> {
  const texts: string[] = [];
  for await (const chunk of stream.chunks) texts.push(chunk.toString('utf8'));
  return texts;
}

/** The next chunk as text, or null at the end. */
export async function nextText(iterator: AsyncIterator<Buffer>): Promise<string | null> {
  const result = await iterator.next();
  return result.done ? null : result.value.toString('utf8');
}
