/**
 * Only the parts of undici this CLI uses: the Agent, the proxy-aware EnvHttpProxyAgent and the
 * `request` API. undici's index also loads fetch, WebSocket, caches and mocks, which roughly
 * doubles the code compiled at every start (see README "Performance"). Tests still use the full
 * package (MockAgent); any undici Dispatcher works with `request` here.
 */
import type { Dispatcher } from 'undici';
// @ts-expect-error: deep import of undici's CommonJS sources (no "exports" map, no types)
import AgentImpl from 'undici/lib/dispatcher/agent.js';
// @ts-expect-error: as above
import EnvHttpProxyAgentImpl from 'undici/lib/dispatcher/env-http-proxy-agent.js';
// @ts-expect-error: as above
import api from 'undici/lib/api/index.js';

type AgentCtor = new (options?: Record<string, unknown>) => Dispatcher;

export const Agent = AgentImpl as AgentCtor;
export const EnvHttpProxyAgent = EnvHttpProxyAgentImpl as AgentCtor;

export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher };

/** undici's top-level `request(url, options)`, without the global-dispatcher machinery. */
export function request(url: string, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const parsed = new URL(url);
  const { dispatcher, ...rest } = options;
  return (api as { request: (this: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData> }).request.call(dispatcher, {
    ...rest,
    origin: parsed.origin,
    path: `${parsed.pathname}${parsed.search}`,
  } as Dispatcher.RequestOptions);
}
