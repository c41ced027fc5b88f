// Handlers that misbehave in the ways a real one can, to prove the emulator survives each.
export const spin = async () => {
  for (;;) {
    // A CPU loop: no await, no timer, nothing the event loop can interleave.
  }
};

export const throws = async () => {
  throw new TypeError('Cannot read properties of undefined (reading "prompt")');
};

export const exits = async () => {
  process.exit(3);
};

export const hello = async () => ({ statusCode: 200, body: 'hello' });
