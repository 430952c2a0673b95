/**
 * The fake Discord gateway (v10, JSON, uncompressed): HELLO → IDENTIFY → READY + GUILD_CREATE,
 * heartbeats, RESUME with replay of missed dispatches, intent checks (4014) and scripted closes.
 *
 * discord.js 14.28.1 asks for `compress=zlib-stream` only when the optional `zlib-sync` package is
 * installed (it is not here), and sends `compress: false` in IDENTIFY, so every frame is plain JSON text.
 */
import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { eventGuildId, parseShard, shardReceives, type ShardPair } from './fake-shards.js';
import type { Json } from './fake-world.js';
import { newSnowflake } from './fake-world.js';

export interface GatewayConnection {
  /** 1-based connection counter. */
  id: number;
  /** Request URL the client connected to, e.g. `/gateway?v=10&encoding=json`. */
  url: string;
  openedAt: number;
  closedAt?: number;
  closeCode?: number;
  /** Who closed: `client` (discord.js) or `server` (the fake, via closeGateway / a protocol error). */
  closedBy?: 'client' | 'server';
  /** How this connection authenticated. */
  kind?: 'identify' | 'resume' | 'invalid-session';
  sessionId?: string;
}

export interface GatewayPayloadRecord {
  connectionId: number;
  op: number;
  d: unknown;
  at: number;
}

interface LoggedDispatch {
  op: 0;
  s: number;
  t: string;
  d: unknown;
}

interface GatewaySession {
  id: string;
  intents: number;
  seq: number;
  log: LoggedDispatch[];
  socket: WebSocket | null;
  /** True once READY/RESUMED has been sent on the current socket. */
  live: boolean;
  valid: boolean;
  /** IDENTIFY's shard ([0, 1] when none): only its guilds' events reach this session. */
  shard: ShardPair;
}

export interface GatewayHooks {
  token: string;
  heartbeatIntervalMs: number;
  disallowedIntents(): number;
  /** READY `d` for a new session (without session_id/resume_gateway_url). */
  readyPayload(): Json;
  /** GUILD_CREATE `d` payloads, one per guild. */
  guildCreatePayloads(): Json[];
  resumeUrl(): string;
  notify(): void;
}

/** Close codes after which Discord does not let the session be resumed. */
const NON_RESUMABLE = new Set([4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014]);
const INTENT_GUILDS = 1 << 0;

export class FakeGateway {
  readonly connections: GatewayConnection[] = [];
  /** Every payload the client sent (all opcodes). */
  readonly received: GatewayPayloadRecord[] = [];
  /** `d` of every IDENTIFY (op 2), including refused ones. */
  readonly identifies: Json[] = [];
  /** `d` of every RESUME (op 6). */
  readonly resumes: Json[] = [];
  private readonly sessions = new Map<string, GatewaySession>();
  private tokenRevoked = false;
  private readonly wss = new WebSocketServer({ noServer: true });
  private connectionCounter = 0;

  constructor(private readonly hooks: GatewayHooks) {
    this.wss.on('connection', (socket: WebSocket, request: IncomingMessage) => this.onConnection(socket, request));
  }

  handleUpgrade(request: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit('connection', ws, request));
  }

  /** True when at least one session has READY/RESUMED on an open socket. */
  hasLiveSession(): boolean {
    for (const s of this.sessions.values()) if (s.valid && s.live && s.socket?.readyState === WebSocket.OPEN) return true;
    return false;
  }

  /** The shard ids that have a live session (READY/RESUMED on an open socket). */
  liveShards(): number[] {
    const ids: number[] = [];
    for (const s of this.sessions.values()) if (s.valid && s.live && s.socket?.readyState === WebSocket.OPEN) ids.push(s.shard[0]);
    return ids.sort((a, b) => a - b);
  }

  hasValidSession(): boolean {
    for (const s of this.sessions.values()) if (s.valid) return true;
    return false;
  }

  /** Intents of the most recent valid session, or undefined. */
  currentIntents(): number | undefined {
    let last: GatewaySession | undefined;
    for (const s of this.sessions.values()) if (s.valid) last = s;
    return last?.intents;
  }

  /**
   * Sends a dispatch to every valid session (buffered for replay when its socket is down).
   * `build` may return undefined to skip a session (e.g. missing intent).
   */
  dispatch(t: string, build: Json | ((intents: number) => Json | undefined)): number {
    let delivered = 0;
    for (const session of this.sessions.values()) {
      if (!session.valid) continue;
      const d = typeof build === 'function' ? build(session.intents) : build;
      if (d === undefined || !shardReceives(session.shard, eventGuildId(t, d))) continue;
      this.sendDispatch(session, t, d);
      delivered++;
    }
    this.hooks.notify();
    return delivered;
  }

  /**
   * Closes every open gateway socket with `code`. 1006 terminates the TCP connection abruptly
   * (no close frame), as a network drop would. Non-resumable codes (4004, 4007, 4009–4014)
   * invalidate every session; others (1006, 4000, …) keep them so the client can RESUME. 4004 also
   * revokes the token: later IDENTIFYs are closed with 4004 as well.
   */
  close(code: number, reason = ''): void {
    // 4004 means the token no longer works: every later IDENTIFY/RESUME fails too, as on Discord (and
    // a client that happened to be reconnecting when the close was scripted cannot slip past it).
    if (code === 4004) this.tokenRevoked = true;
    for (const session of this.sessions.values()) {
      if (NON_RESUMABLE.has(code)) session.valid = false;
      if (!session.socket) continue;
      this.closeSocket(session.socket, code, reason);
      session.socket = null;
      session.live = false;
    }
    // sockets that never identified
    for (const ws of this.wss.clients) this.closeSocket(ws, code, reason);
    this.hooks.notify();
  }

  async shutdown(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private closeSocket(ws: WebSocket, code: number, reason: string): void {
    const conn = this.connectionOf.get(ws);
    if (conn && conn.closedAt === undefined) {
      conn.closedBy = 'server';
      conn.closeCode = code;
      conn.closedAt = Date.now();
    }
    if (code === 1006) ws.terminate();
    else if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
  }

  private readonly connectionOf = new WeakMap<WebSocket, GatewayConnection>();

  private onConnection(ws: WebSocket, request: IncomingMessage): void {
    const conn: GatewayConnection = { id: ++this.connectionCounter, url: request.url ?? '', openedAt: Date.now() };
    this.connections.push(conn);
    this.connectionOf.set(ws, conn);
    let session: GatewaySession | undefined;
    let authenticated = false;

    ws.on('message', (raw, isBinary) => {
      let payload: { op?: unknown; d?: unknown };
      try {
        payload = JSON.parse(isBinary ? Buffer.from(raw as Buffer).toString('utf8') : raw.toString()) as typeof payload;
      } catch {
        this.closeSocket(ws, 4002, 'Error while decoding payload.');
        return;
      }
      const op = typeof payload.op === 'number' ? payload.op : -1;
      this.received.push({ connectionId: conn.id, op, d: payload.d, at: Date.now() });
      const d = (payload.d ?? {}) as Json;
      switch (op) {
        case 1: // heartbeat
          send(ws, { op: 11, d: null, s: null, t: null });
          break;
        case 2: {
          // identify
          this.identifies.push(d);
          if (authenticated) {
            this.closeSocket(ws, 4005, 'Already authenticated.');
            break;
          }
          if (d.token !== this.hooks.token || this.tokenRevoked) {
            this.closeSocket(ws, 4004, 'Authentication failed.');
            break;
          }
          const intents = typeof d.intents === 'number' ? d.intents : 0;
          if ((intents & this.hooks.disallowedIntents()) !== 0) {
            this.closeSocket(ws, 4014, 'Disallowed intent(s).');
            break;
          }
          const shard = parseShard(d.shard);
          if (!shard) {
            this.closeSocket(ws, 4010, 'Invalid shard.');
            break;
          }
          authenticated = true;
          session = { id: newSnowflake().slice(-12) + 'fake', intents, seq: 0, log: [], socket: ws, live: false, valid: true, shard };
          this.sessions.set(session.id, session);
          conn.kind = 'identify';
          conn.sessionId = session.id;
          session.live = true;
          const ready = this.hooks.readyPayload();
          const ownGuilds = (ready.guilds as Json[]).filter((guild) => shardReceives(shard, guild.id as string));
          this.sendDispatch(session, 'READY', {
            ...ready,
            guilds: ownGuilds,
            session_id: session.id,
            session_type: 'normal',
            resume_gateway_url: this.hooks.resumeUrl(),
            shard: [...shard],
          });
          if ((intents & INTENT_GUILDS) !== 0) {
            for (const guild of this.hooks.guildCreatePayloads()) {
              if (shardReceives(shard, guild.id as string)) this.sendDispatch(session, 'GUILD_CREATE', guild);
            }
          }
          break;
        }
        case 6: {
          // resume
          this.resumes.push(d);
          const target = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
          if (!target || !target.valid || d.token !== this.hooks.token || this.tokenRevoked) {
            conn.kind = 'invalid-session';
            send(ws, { op: 9, d: false, s: null, t: null });
            break;
          }
          if (target.socket && target.socket !== ws) this.closeSocket(target.socket, 4000, 'Session resumed elsewhere');
          authenticated = true;
          session = target;
          session.socket = ws;
          conn.kind = 'resume';
          conn.sessionId = session.id;
          const from = typeof d.seq === 'number' ? d.seq : 0;
          for (const entry of session.log) if (entry.s > from) send(ws, entry);
          session.live = true;
          this.sendDispatch(session, 'RESUMED', {});
          break;
        }
        default:
          // op 3 presence, op 4 voice, op 8 request members …: recorded, ignored
          break;
      }
      this.hooks.notify();
    });

    ws.on('close', (code) => {
      if (conn.closedAt === undefined) {
        conn.closedAt = Date.now();
        conn.closeCode = code;
        conn.closedBy = 'client';
      }
      if (session && session.socket === ws) {
        session.socket = null;
        session.live = false;
        // A client closing with 1000/1001 ends its session (Discord semantics); 4200 etc. keep it.
        if (conn.closedBy === 'client' && (code === 1000 || code === 1001)) session.valid = false;
      }
      this.hooks.notify();
    });
    ws.on('error', () => undefined);

    send(ws, { op: 10, d: { heartbeat_interval: this.hooks.heartbeatIntervalMs, _trace: ['["fake-gateway",{}]'] }, s: null, t: null });
  }

  private sendDispatch(session: GatewaySession, t: string, d: unknown): void {
    session.seq++;
    const entry: LoggedDispatch = { op: 0, s: session.seq, t, d };
    session.log.push(entry);
    if (session.log.length > 5000) session.log.shift();
    if (session.live && session.socket?.readyState === WebSocket.OPEN) send(session.socket, entry);
  }
}

function send(ws: WebSocket, payload: unknown): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
}
