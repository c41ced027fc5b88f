import { syncBuiltinESMExports } from 'node:module';
import tls from 'node:tls';
import WebSocket, { type ClientOptions } from 'ws';
import { trustCa } from '../../emulator/services/lambda-runtime/worker/trust-ca.ts';

/**
 * What an unmodified Amplify v6 client needs from a Node 20 process to reach the emulator, as an app
 * would set it up: a global `WebSocket` (Node 20 has none; Amplify calls `new WebSocket(url, protocols)`)
 * and trust in the emulator's local CA, because Amplify turns every endpoint into `wss://` for
 * real-time. Each installer returns the function that undoes it.
 */

/** `ws`'s WebSocket as the global, trusting `caPem` (Amplify passes no options, so the subclass adds them). */
export function installWebSocketGlobal(caPem: string): () => void {
  const options: ClientOptions = { ca: caPem };
  class TrustingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, options);
    }
  }
  const scope = globalThis as { WebSocket?: unknown };
  const had = Object.hasOwn(scope, 'WebSocket');
  const previous = scope.WebSocket;
  scope.WebSocket = TrustingWebSocket;
  return () => {
    if (had) scope.WebSocket = previous;
    else delete scope.WebSocket;
  };
}

/**
 * Makes global fetch (Node's bundled undici, which Amplify's HTTP calls use) trust `caPem` too, so the
 * client can be configured with the https:// endpoints it would get from AWS. Node 20 has no public way
 * to give fetch a CA (no undici `setGlobalDispatcher` without the package, NODE_EXTRA_CA_CERTS is read
 * at process start only, tls.setDefaultCACertificates arrives in Node 22.15), so this uses what the
 * Lambda workers use (worker/trust-ca.ts): every TLS client context gets the CA added.
 */
export function trustCaForFetch(caPem: string): () => void {
  const original = tls.createSecureContext;
  trustCa(caPem);
  return () => {
    tls.createSecureContext = original;
    syncBuiltinESMExports();
  };
}

/** What a client callback receives, in order; `until` waits for enough of it on the callbacks, never on a timer. */
export class Inbox<T> {
  readonly items: T[] = [];
  private waiting: Array<() => void> = [];

  push(item: T): void {
    this.items.push(item);
    for (const wake of this.waiting.splice(0)) wake();
  }

  async until(test: (items: readonly T[]) => boolean): Promise<T[]> {
    while (!test(this.items)) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return [...this.items];
  }
}
