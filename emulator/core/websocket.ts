import type { HttpRequest, HttpResponse } from './http.ts';

/**
 * The wire-neutral WebSocket exchange, as core/http.ts is for HTTP: gateway/ws-listener.ts turns
 * sockets into these, services decide. A service never sees `ws`.
 */

/** The server's side of one open connection. */
export interface WebSocketPeer {
  /** One text frame. */
  send(text: string): void;
  /** Starts the close handshake with this code and reason (a no-op once closing). */
  close(code: number, reason: string): void;
}

/** What the listener detects below the message level; the service decides the close code. */
export type SocketViolation = 'frame-too-large' | 'message-too-large' | 'binary';

/** Told what happens on one accepted connection. */
export interface WebSocketSession {
  message(text: string): void;
  violation(kind: SocketViolation, detail: string): void;
  /** The socket is gone: `code`/`reason` from the close frame received (1005 without one, 1006 without any). */
  closed(code: number, reason: string): void;
}

export type UpgradeDecision =
  | { accept: false; response: HttpResponse }
  | {
      accept: true;
      /** The `Sec-WebSocket-Protocol` to answer with. */
      protocol?: string;
      open(peer: WebSocketPeer): WebSocketSession;
      /** The client went away before the 101 could be sent. */
      cancel(): void;
    };

/** A WebSocket API on its own port: plain HTTP requests (management, control) and upgrades. */
export interface WebSocketHandler {
  /** Frames and messages above these sizes are violations (AWS: 32 KB and 128 KB). */
  readonly maxFrameBytes: number;
  readonly maxMessageBytes: number;
  /** Never rejects. */
  handle(request: HttpRequest): Promise<HttpResponse>;
  /** Held until the service decides; never rejects. `request.body` is empty. */
  upgrade(request: HttpRequest): Promise<UpgradeDecision>;
}
