import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter.js';
import type { Activity, ConfigurationBotFrameworkAuthenticationOptions, TurnContext } from 'botbuilder';
import { AuthenticationConstants, JwtTokenValidation, type AuthenticateRequestResult, type UserTokenClient } from 'botframework-connector';
import type { BotCredentials } from '../config.js';
import { ConnectorClientCache, withConnectorDeadline } from './connector-deadline.js';

export interface AdapterOptions {
  /** Every outbound call to the Bot Connector (reply, update, proactive send), retries included, ends within this. */
  connectorTimeoutMs: number;
  /** Where Bot Framework's OpenID metadata is read (default: Microsoft's public cloud). */
  openIdMetadataUrl?: string | undefined;
  /** Where the Bot Framework token service is (user tokens for SSO; default: Microsoft's public cloud). */
  oAuthUrl?: string | undefined;
}

/** What became of one inbound activity: answered (with the invoke response, if any) or refused before the turn. */
export type BotAnswer =
  | { kind: 'answered'; status: number; body: unknown }
  | { kind: 'unauthorized'; reason: string }
  | { kind: 'auth_unavailable'; reason: string };

/**
 * The Bot Framework adapter. With no credentials (local mode) the CloudAdapter accepts
 * unauthenticated activities and sends replies without a token, which the Agents Playground
 * and the connector stand-in need; with credentials every inbound activity must carry a valid
 * Bot Framework JWT, checked by botbuilder itself.
 *
 * `answer` authenticates first and runs the turn second, so a refused token (401) and signing keys
 * that cannot be fetched (503) are told apart and never reach the caller as botbuilder's own text.
 */
export class HubAdapter extends TeamsAdapter {
  /**
   * Told of every activity a turn is about to send or update, before it goes: the send pacer counts
   * them, and while a fan-out holds send slots in this process a reply waits for the next one (a few ms).
   */
  onInteractiveSend: (count: number) => Promise<void> | undefined = () => undefined;
  /** Connector clients for replies and proactive sends, built once per identity and service URL. */
  readonly connectorClients = new ConnectorClientCache();
  /** User-token clients (SSO), one per bot identity: botbuilder would build one, pipeline and all, on every turn. */
  private readonly userTokenClients = new ConnectorClientCache<UserTokenClient>(8);

  constructor(
    settings: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly connectorTimeoutMs: number,
  ) {
    super(settings);
    // Proactive sends (continueConversationAsync) get their connector from here. They are paced and
    // retried by the send pacer and the durable jobs, so this connector makes each call once.
    const authentication = this.botFrameworkAuthentication;
    const createConnectorFactory = authentication.createConnectorFactory.bind(authentication);
    authentication.createConnectorFactory = (identity) => withConnectorDeadline(createConnectorFactory(identity), connectorTimeoutMs, { retries: false, cache: this.connectorClients });
    // In local mode the inbound identity names no bot, so the user-token client has no app id and
    // botbuilder's sign-in state (which requires a string) cannot be built. The real token service
    // refuses unauthenticated bots anyway; this only lets local runs and tests reach a token-service
    // stand-in (BOT_OAUTH_URL). With credentials the app id comes from the token, untouched.
    // A user-token client holds nothing per turn (its credentials renew their own token), so one per
    // app id serves every turn of that identity.
    const createUserTokenClient = authentication.createUserTokenClient.bind(authentication);
    authentication.createUserTokenClient = (identity) =>
      this.userTokenClients.get(JwtTokenValidation.getAppIdFromClaims(identity.claims) ?? '', async () => {
        const client = await createUserTokenClient(identity);
        const withAppId = client as unknown as { appId?: string };
        if (typeof withAppId.appId !== 'string') withAppId.appId = '';
        return client;
      });
  }

  async answer(authorization: string, wire: Record<string, unknown>, logic: (context: TurnContext) => Promise<void>): Promise<BotAnswer> {
    const activity = withDates(wire);
    let auth: AuthenticateRequestResult;
    try {
      auth = await this.botFrameworkAuthentication.authenticateRequest(activity, authorization);
    } catch (error) {
      return authFailure(error);
    }
    // Replies and updates in the turn get their connector from the authentication result.
    const bounded = { ...auth, connectorFactory: auth.connectorFactory && withConnectorDeadline(auth.connectorFactory, this.connectorTimeoutMs, { cache: this.connectorClients }) };
    const invokeResponse = await this.processActivity(bounded, activity, (context) => {
      // Counted in memory: an interactive turn adds no database round trip, and waits only during a fan-out.
      context.onSendActivities(async (_ctx, activities, next) => {
        // An invoke response goes back in the HTTP answer, a delay is a pause: neither calls the connector.
        const calls = activities.filter((a) => a.type !== 'invokeResponse' && a.type !== 'delay' && a.type !== 'trace').length;
        if (calls > 0) await this.onInteractiveSend(calls);
        return next();
      });
      context.onUpdateActivity(async (_ctx, _activity, next) => {
        await this.onInteractiveSend(1);
        return next();
      });
      return logic(context);
    });
    return { kind: 'answered', status: invokeResponse?.status ?? 200, body: invokeResponse?.body };
  }
}

/** What botbuilder's own body check does (validateAndFixActivity): wire timestamps become Dates, the raw text is kept. */
function withDates(wire: Record<string, unknown>): Activity {
  const activity: Record<string, unknown> = { ...wire };
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['localTimestamp', 'rawLocalTimestamp'], ['expiration', 'rawExpiration']] as const) {
    if (typeof wire[field] === 'string') {
      activity[raw] = wire[field];
      activity[field] = new Date(wire[field]);
    }
  }
  return activity as unknown as Activity;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** botbuilder marks "could not load the OpenID config / keys" as a 500 AuthenticationError; node-fetch failures carry a system code. */
function authFailure(error: unknown): BotAnswer {
  const e = error as { statusCode?: unknown; code?: unknown; name?: unknown; type?: unknown; message?: unknown };
  const reason = typeof e?.message === 'string' ? e.message : 'token rejected';
  const unreachable =
    (typeof e?.statusCode === 'number' && e.statusCode >= 500) ||
    e?.name === 'FetchError' ||
    e?.type === 'system' ||
    (typeof e?.code === 'string' && NETWORK_CODES.has(e.code));
  return unreachable ? { kind: 'auth_unavailable', reason } : { kind: 'unauthorized', reason };
}

export function createAdapter(credentials: BotCredentials, options: AdapterOptions): HubAdapter {
  const timeout = options.connectorTimeoutMs;
  const authConfig = (settings: ConfigurationBotFrameworkAuthenticationOptions): ConfigurationBotFrameworkAuthenticationOptions => {
    if (!options.openIdMetadataUrl && !options.oAuthUrl) return settings;
    const cloud = publicCloud(options.openIdMetadataUrl);
    return { ...settings, ...cloud, OAuthUrl: options.oAuthUrl ?? cloud.OAuthUrl };
  };
  switch (credentials.mode) {
    case 'local':
      return new HubAdapter(authConfig({}), timeout);
    case 'MultiTenant':
    case 'SingleTenant':
      return new HubAdapter(
        authConfig({
          MicrosoftAppId: credentials.appId,
          MicrosoftAppPassword: credentials.password,
          MicrosoftAppType: credentials.mode,
          MicrosoftAppTenantId: credentials.tenantId ?? '',
        }),
        timeout,
      );
    case 'UserAssignedMSI':
      return new HubAdapter(
        authConfig({ MicrosoftAppId: credentials.appId, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: credentials.tenantId }),
        timeout,
      );
  }
}

/**
 * Naming one OpenID metadata URL makes botbuilder build its "parameterized" authentication, which
 * takes every public-cloud setting from the configuration; so they are all given, from botbuilder's own constants.
 */
function publicCloud(openIdMetadataUrl: string | undefined): ConfigurationBotFrameworkAuthenticationOptions {
  return {
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: openIdMetadataUrl ?? AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: 'urn:botframework:azure',
    ValidateAuthority: true,
  };
}
