import { ActivityTypes, CardFactory, type Attachment, type TurnContext } from 'botbuilder';
import type { UserTokenClient } from 'botframework-connector';
import type { PersonSignIn } from '../shared/bot-contract.js';
import type { Logger } from '../shared/logger.js';

/**
 * Teams single sign-on for the bot, over the Bot Service OAuth connection (Azure AD v2 with token
 * exchange): the Bot Framework token service holds each person's token for the app's own API
 * (access_as_user). Teams exchanges its own SSO token silently when the bot sends an OAuth card
 * with a tokenExchangeResource (the `signin/tokenExchange` invoke); where it cannot (consent not
 * yet given), the card's sign-in button runs the usual sign-in and Teams sends `signin/verifyState`.
 *
 * This is the flow Teams AI's own authentication implements (teams-ai `authentication.settings`);
 * it is written here over botbuilder's UserTokenClient because the app routes messages itself and
 * must ask for sign-in only when a feature needs it, not before every turn.
 *
 * No token is ever logged; failures log the invoke name and a code.
 */
export class TeamsSso {
  constructor(
    readonly connectionName: string | undefined,
    private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.connectionName !== undefined;
  }

  /** What a feature gets in TurnInfo.signIn for this turn. */
  forTurn(context: TurnContext): PersonSignIn | undefined {
    const connection = this.connectionName;
    if (!connection) return undefined;
    let looked: Promise<string | undefined> | undefined;
    return {
      token: () => (looked ??= this.lookUp(context, connection)),
    };
  }

  /** The OAuth card that signs the person in (silently, where Teams can exchange its own token). */
  async signInCard(context: TurnContext, title: string, text: string): Promise<Attachment | undefined> {
    const connection = this.connectionName;
    const client = userTokenClient(context);
    if (!connection || !client) return undefined;
    try {
      const resource = await client.getSignInResource(connection, context.activity, '');
      return CardFactory.oauthCard(connection, title, text, resource.signInLink, resource.tokenExchangeResource, resource.tokenPostResource);
    } catch (error) {
      // The words still go out (send falls back to text); the person can ask to sign in later.
      this.logger.warn({ err: redacted(error), code: 'sign_in_resource_unavailable' }, 'SSO sign-in card could not be made');
      return undefined;
    }
  }

  /** A sign-in link for the message extension's `auth` answer. */
  async signInLink(context: TurnContext): Promise<string | undefined> {
    const connection = this.connectionName;
    const client = userTokenClient(context);
    if (!connection || !client) return undefined;
    try {
      return (await client.getSignInResource(connection, context.activity, '')).signInLink;
    } catch (error) {
      this.logger.warn({ err: redacted(error), code: 'sign_in_resource_unavailable' }, 'SSO sign-in link could not be made');
      return undefined;
    }
  }

  /**
   * `signin/tokenExchange`: Teams sends its SSO token; the token service exchanges it for the
   * connection's token. 412 tells Teams to show the sign-in button instead (consent needed).
   */
  async answerTokenExchange(context: TurnContext): Promise<void> {
    const value = (context.activity.value ?? {}) as { id?: unknown; token?: unknown; connectionName?: unknown };
    const id = typeof value.id === 'string' ? value.id : '';
    const connection = this.connectionName;
    const client = userTokenClient(context);
    const userId = context.activity.from?.id;
    let exchanged = false;
    if (connection && client && userId && typeof value.token === 'string' && value.token) {
      try {
        const response = await client.exchangeToken(userId, connection, context.activity.channelId, { token: value.token });
        exchanged = typeof response?.token === 'string' && response.token.length > 0;
      } catch (error) {
        this.logger.warn({ err: redacted(error), code: 'token_exchange_failed' }, 'SSO token exchange failed');
      }
    }
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: exchanged
        ? { status: 200, body: { id, connectionName: connection } }
        : { status: 412, body: { id, connectionName: connection, failureDetail: 'The app could not exchange the Teams token; please sign in.' } },
    });
  }

  /** `signin/verifyState`: the sign-in popup finished; its state is the magic code that claims the token. */
  async answerVerifyState(context: TurnContext): Promise<boolean> {
    const value = (context.activity.value ?? {}) as { state?: unknown };
    const connection = this.connectionName;
    const client = userTokenClient(context);
    const userId = context.activity.from?.id;
    let signedIn = false;
    if (connection && client && userId && typeof value.state === 'string' && /^\w{1,64}$/.test(value.state)) {
      try {
        const response = await client.getUserToken(userId, connection, context.activity.channelId, value.state);
        signedIn = typeof response?.token === 'string' && response.token.length > 0;
      } catch (error) {
        this.logger.warn({ err: redacted(error), code: 'verify_state_failed' }, 'SSO sign-in could not be verified');
      }
    }
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: signedIn ? 200 : 404, body: {} } });
    return signedIn;
  }

  /** The message extension sends the magic code as `state` on the query after a sign-in popup. */
  async claimMagicCode(context: TurnContext, code: string): Promise<void> {
    const connection = this.connectionName;
    const client = userTokenClient(context);
    const userId = context.activity.from?.id;
    if (!connection || !client || !userId || !/^\w{1,64}$/.test(code)) return;
    try {
      await client.getUserToken(userId, connection, context.activity.channelId, code);
    } catch (error) {
      this.logger.warn({ err: redacted(error), code: 'magic_code_failed' }, 'SSO magic code was not accepted');
    }
  }

  private async lookUp(context: TurnContext, connection: string): Promise<string | undefined> {
    const client = userTokenClient(context);
    const userId = context.activity.from?.id;
    if (!client || !userId) return undefined;
    try {
      const response = await client.getUserToken(userId, connection, context.activity.channelId, undefined as unknown as string);
      return typeof response?.token === 'string' && response.token ? response.token : undefined;
    } catch (error) {
      // The token service being down must not cost the person an answer: they are treated as not signed in.
      this.logger.warn({ err: redacted(error), code: 'user_token_unavailable' }, 'SSO token could not be read');
      return undefined;
    }
  }
}

function userTokenClient(context: TurnContext): UserTokenClient | undefined {
  const key = (context.adapter as { UserTokenClientKey?: symbol }).UserTokenClientKey;
  return key ? context.turnState.get<UserTokenClient>(key) : undefined;
}

/** Errors from the token service can carry the request (with tokens); log only their kind and status. */
function redacted(error: unknown): { name: string; statusCode?: number } {
  const e = error as { name?: unknown; statusCode?: unknown };
  return { name: typeof e?.name === 'string' ? e.name : 'Error', ...(typeof e?.statusCode === 'number' ? { statusCode: e.statusCode } : {}) };
}
