// The page's only way to the data: the public GraphQL API over HTTP (queries) and graphql-ws
// (subscriptions). Each request names its operation by the sha256 of the registered document
// and sends that document, so it runs unchanged on a gateway in allow-list mode.
import { createClient, type Client } from "graphql-ws";
import type { TypedDocumentString } from "../gql/graphql";
import registered from "../gql/persisted-documents.json";

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; source?: string; [key: string]: unknown };
}

export interface Result<T> {
  data: T | null;
  errors: GraphQLError[];
}

const documents = registered as Record<string, string>;

function operation<R, V>(document: TypedDocumentString<R, V>): { query: string; hash: string } {
  const key = String(document.__meta__?.hash ?? "");
  const query = documents[key];
  if (query === undefined) throw new Error(`operation ${key} is not registered`);
  return { query, hash: key.replace(/^sha256:/, "") };
}

function payload<R, V>(document: TypedDocumentString<R, V>, variables: V) {
  const { query, hash } = operation(document);
  return {
    query,
    variables: (variables ?? {}) as Record<string, unknown>,
    extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
  };
}

export type TokenSource = () => string | null;

export class Api {
  private socket: Client | null = null;

  constructor(
    private readonly endpoint: string,
    private readonly token: TokenSource,
    private readonly onHeard: (at: Date) => void,
    private readonly onSocket: (state: "connecting" | "live" | "down") => void,
    private readonly onSourceTrouble: () => void = () => undefined,
  ) {}

  async query<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<Result<R>> {
    const token = this.token();
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/graphql-response+json, application/json",
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(payload(document, variables)),
      });
    } catch {
      return { data: null, errors: [{ message: "gateway unreachable", extensions: { code: "NETWORK" } }] };
    }
    let body: { data?: R | null; errors?: GraphQLError[] };
    try {
      body = await response.json();
    } catch {
      return { data: null, errors: [{ message: `HTTP ${response.status}`, extensions: { code: "HTTP" } }] };
    }
    this.onHeard(new Date());
    const errors = body.errors ?? [];
    if (errors.some((e) => e.extensions?.source)) this.onSourceTrouble();
    return { data: body.data ?? null, errors };
  }

  subscribe<R, V>(document: TypedDocumentString<R, V>, variables: V,
                  next: (data: R) => void): () => void {
    return this.client().subscribe<R>(payload(document, variables), {
      next: (result) => { if (result.data) next(result.data as R); },
      error: () => this.onSocket("down"),
      complete: () => undefined,
    });
  }

  close(): void {
    void this.socket?.dispose();
    this.socket = null;
  }

  private client(): Client {
    if (this.socket === null) {
      const url = new URL(this.endpoint, window.location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      this.onSocket("connecting");
      this.socket = createClient({
        url: url.href,
        lazy: true,
        keepAlive: 10_000,
        retryAttempts: Number.POSITIVE_INFINITY,
        shouldRetry: () => true,
        connectionParams: () => {
          const token = this.token();
          return token ? { Authorization: `Bearer ${token}` } : {};
        },
        on: {
          connected: () => { this.onSocket("live"); this.onHeard(new Date()); },
          message: () => this.onHeard(new Date()),
          pong: () => this.onHeard(new Date()),
          closed: () => this.onSocket("down"),
          connecting: () => this.onSocket("connecting"),
        },
      });
    }
    return this.socket;
  }
}

export function errorCode(errors: GraphQLError[]): string | undefined {
  return errors.find((e) => e.extensions?.code)?.extensions?.code;
}
