import { OnBehalfOfCredential, type OnBehalfOfCredentialSecretOptions, type TokenCredential, type TokenCredentialOptions } from '@azure/identity';
import type { Config } from '../config.js';
import { createGraphClient, type GraphConnection, type GraphCredentialOptions } from './graph-client.js';

/**
 * Microsoft Graph as a person: the Teams SSO token the bot holds for them (an access token for the
 * app's own API, access_as_user) is exchanged on-behalf-of for a Graph token, so Graph trims every
 * answer to what that person may open. Needs the app's client secret (a managed identity cannot do
 * on-behalf-of without a federated credential); `delegatedGraphAvailable` says whether it can.
 */
export function delegatedGraphAvailable(config: Pick<Config, 'graph'>): boolean {
  const identity = config.graph.identity;
  return identity.mode === 'secret' && identity.tenantId !== undefined;
}

const KNOWN_AUTHORITY_HOSTS = new Set(['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn']);

export function onBehalfOfCredential(config: Pick<Config, 'graph'>, userAssertion: string, options: GraphCredentialOptions = {}): TokenCredential {
  const identity = config.graph.identity;
  if (identity.mode !== 'secret' || !identity.tenantId) throw new Error('On-behalf-of needs the app registration\'s client secret and tenant id.');
  const authority = new URL(config.graph.authorityHost);
  return new OnBehalfOfCredential({
    tenantId: identity.tenantId,
    clientId: identity.clientId,
    clientSecret: identity.secret,
    userAssertionToken: userAssertion,
    authorityHost: authority.origin,
    disableInstanceDiscovery: !KNOWN_AUTHORITY_HOSTS.has(authority.hostname),
    ...(options.authorityCa ? { tlsOptions: { ca: options.authorityCa } } : {}),
  } as OnBehalfOfCredentialSecretOptions & TokenCredentialOptions & { disableInstanceDiscovery: boolean });
}

/**
 * A Graph connection per person, kept while their SSO token is the same: the credential caches the
 * Graph token it got, so a person's repeated searches cost one on-behalf-of exchange, not one each.
 */
export class DelegatedGraphConnections {
  private readonly byPerson = new Map<string, { assertion: string; connection: GraphConnection }>();

  constructor(
    private readonly config: Pick<Config, 'graph'>,
    private readonly options: GraphCredentialOptions = {},
    private readonly maxPeople = 500,
  ) {}

  forPerson(aadObjectId: string, userAssertion: string): GraphConnection {
    const known = this.byPerson.get(aadObjectId);
    if (known && known.assertion === userAssertion) return known.connection;
    const connection = createGraphClient(this.config, { credential: onBehalfOfCredential(this.config, userAssertion, this.options) });
    this.byPerson.delete(aadObjectId);
    if (this.byPerson.size >= this.maxPeople) this.byPerson.delete(this.byPerson.keys().next().value!);
    this.byPerson.set(aadObjectId, { assertion: userAssertion, connection });
    return connection;
  }
}
