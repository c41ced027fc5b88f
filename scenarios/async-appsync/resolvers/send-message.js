// Mutation.sendMessage: invokes the streaming function asynchronously (invocationType Event), so the
// mutation answers at once and the answer arrives on onChunk, however long the model takes: the
// 30 s request limit does not apply to the stream.
export function request(ctx) {
  return { operation: 'Invoke', invocationType: 'Event', payload: { conversationId: ctx.args.conversationId, prompt: ctx.args.prompt } };
}

export function response(ctx) {
  return { conversationId: ctx.args.conversationId, status: 'STARTED' };
}
