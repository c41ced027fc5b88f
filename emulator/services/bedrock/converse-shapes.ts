import type { ReplyBlock } from './reply.ts';

/**
 * Converse's content shapes (reference 4.3, 4.4), shared by Converse/ConverseStream and by Nova's
 * InvokeModel body, whose messages-v1 schema mirrors them.
 */

/** A reply block as a Converse `ContentBlock`. */
export function converseContentBlock(block: ReplyBlock): object {
  switch (block.type) {
    case 'text':
      return { text: block.text };
    case 'reasoning':
      return { reasoningContent: { reasoningText: { text: block.text, signature: block.signature } } };
    case 'toolUse':
      return { toolUse: { toolUseId: block.toolUseId, name: block.name, input: block.input } };
  }
}

/** A piece of a reply block as a `contentBlockDelta`'s `delta` (tool input is a partial JSON string). */
export function converseDelta(block: ReplyBlock, text: string): object {
  switch (block.type) {
    case 'text':
      return { text };
    case 'reasoning':
      return { reasoningContent: { text } };
    case 'toolUse':
      return { toolUse: { input: text } };
  }
}
