// The one GraphQL client: HTTP for queries and mutations, graphql-ws for subscriptions.
// Every document is sent by its persisted id (the server's allow-list), never as text.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { persistedExchange } from '@urql/exchange-persisted';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import type { DocumentNode } from 'graphql';

export interface ClientOptions {
  token: string | null;
  /** Tenant slug, or null for the province console (the public schema). */
  tenant: string | null;
  /** Accept-Language for the server's messages. */
  language: string;
  /** Called when the server says the token is no longer valid. */
  onUnauthenticated: () => void;
}

/**
 * Fired on `window` when the socket is back after a drop. Live events are at most once: what was
 * published meanwhile is committed data that the pages re-read when they hear this.
 */
export const RECONNECTED_EVENT = 'jianlian:reconnected';

export function endpointPath(tenant: string | null): string {
  return tenant ? `/t/${encodeURIComponent(tenant)}/graphql/` : '/graphql/';
}

function documentId(document: DocumentNode): string {
  const hash = (document as DocumentNode & { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new Error('document without a persisted id; run `npm run codegen`');
  return hash;
}

export function createApiClient(options: ClientOptions): { client: Client; dispose: () => void } {
  const { token, tenant, language } = options;
  const url = endpointPath(tenant);
  let ws: WsClient | null = null;
  if (token) {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    ws = createWsClient({
      url: `${scheme}://${window.location.host}${url}`,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      // Back off up to 30 s: a restarted server is back within seconds, a long outage costs little.
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** retries))),
      on: {
        connected: (_socket, _payload, wasRetry) => {
          if (wasRetry) window.dispatchEvent(new Event(RECONNECTED_EVENT));
        },
        closed: (event) => {
          if ((event as CloseEvent)?.code === 4401) options.onUnauthenticated();
        },
      },
    });
  }
  const socket = ws;
  const client = new Client({
    url,
    requestPolicy: 'cache-and-network',
    preferGetMethod: false,
    fetchOptions: () => ({
      headers: {
        'Accept-Language': language,
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
    }),
    exchanges: [
      cacheExchange,
      persistedExchange({
        enforcePersistedQueries: true,
        enableForMutation: true,
        preferGetForPersistedQueries: false,
        generateHash: async (_query, document) => documentId(document),
      }),
      fetchExchange,
      subscriptionExchange({
        enableAllOperations: false,
        forwardSubscription(request, operation) {
          return {
            subscribe(sink) {
              if (!socket) {
                sink.error(new Error('not signed in'));
                return { unsubscribe() {} };
              }
              const payload = {
                query: '',
                documentId: documentId(operation.query),
                operationName: request.operationName,
                variables: request.variables as Record<string, unknown> | undefined,
              };
              const unsubscribe = socket.subscribe(payload, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, dispose: () => void socket?.dispose() };
}
