import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { TabConfig } from '../config.js';
import type { Clock } from '../shared/clock.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { DevSignIn } from './dev-sign-in.js';

/** Who a valid tab token says is calling: the Entra object id and tenant, lower-cased like every id the app keeps. */
export interface TabCaller {
  oid: string;
  tid: string;
  via: 'entra' | 'dev_sign_in';
}

export type TabAuthFailure =
  | 'token_missing'
  | 'token_invalid'
  | 'token_expired'
  | 'token_wrong_audience'
  | 'token_wrong_tenant'
  | 'token_wrong_scope'
  | 'auth_not_configured'
  | 'auth_keys_unavailable';

/** Clock skew allowed on exp/nbf: Teams hands out tokens minutes before expiry, and machines drift a little. */
export const CLOCK_SKEW_SECONDS = 120;
export const SCOPE = 'access_as_user';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TabAuthenticator {
  authenticate(authorization: string | undefined): Promise<Result<TabCaller, TabAuthFailure>>;
}

/**
 * Checks the bearer token TeamsJS `authentication.getAuthToken()` gave the tab: an Entra v2 access
 * token for this app (aud = the client id GUID), signed by a key in the tenant's JWKS, issued by
 * https://login.microsoftonline.com/{tid}/v2.0 for the trust's tenant, with the access_as_user scope.
 * jose caches the key set and refetches it when a token names a key it has not seen (key rotation),
 * at most once per cooldown, so a flood of forged kids cannot hammer Entra.
 */
export function createTabAuthenticator(
  config: TabConfig,
  clock: Clock,
  devSignIn: DevSignIn | undefined,
  options: { keySetCooldownMs?: number } = {},
): TabAuthenticator {
  const entra = config.entra;
  const jwks: JWTVerifyGetKey | undefined = entra
    ? createRemoteJWKSet(new URL(`${entra.authorityHost}/${entra.tenantId}/discovery/v2.0/keys`), {
        cooldownDuration: options.keySetCooldownMs ?? 30_000,
        cacheMaxAge: 12 * 3600_000,
        timeoutDuration: 5_000,
      })
    : undefined;

  return {
    async authenticate(authorization) {
      const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization?.trim() ?? '');
      if (!authorization?.trim()) return fail('token_missing', 'Sign in: the request carries no token.');
      if (!match) return fail('token_invalid', 'The sign-in token is not a bearer JWT.');
      const token = match[1];
      if (devSignIn?.issued(token)) {
        const caller = await devSignIn.verify(token);
        return caller ? ok(caller) : fail('token_invalid', 'The development sign-in token is not valid; sign in again.');
      }
      if (!entra || !jwks) return fail('auth_not_configured', 'Tab sign-in is not configured on this server (AAD_APP_CLIENT_ID and AAD_APP_TENANT_ID).');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          algorithms: ['RS256'],
          issuer: `https://login.microsoftonline.com/${entra.tenantId}/v2.0`,
          audience: entra.clientId,
          clockTolerance: CLOCK_SKEW_SECONDS,
          currentDate: clock.now(),
          requiredClaims: ['exp', 'iat', 'tid', 'oid'],
        }));
      } catch (error) {
        return fail(...describeJoseError(error));
      }
      const tid = typeof payload.tid === 'string' ? payload.tid.toLowerCase() : '';
      if (tid !== entra.tenantId) return fail('token_wrong_tenant', 'The token is from another organisation\'s tenant.');
      const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
      if (!scopes.includes(SCOPE)) return fail('token_wrong_scope', `The token does not carry the ${SCOPE} scope.`);
      const oid = typeof payload.oid === 'string' ? payload.oid.toLowerCase() : '';
      if (!GUID.test(oid)) return fail('token_invalid', 'The token does not name a person (oid).');
      return ok({ oid, tid, via: 'entra' });
    },
  };
}

function describeJoseError(error: unknown): [TabAuthFailure, string] {
  if (error instanceof errors.JWTExpired) return ['token_expired', 'The sign-in token has expired; the tab gets a new one when reloaded.'];
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'aud':
        return ['token_wrong_audience', 'The token was issued for another application.'];
      case 'iss':
        return ['token_wrong_tenant', 'The token was not issued by the trust\'s tenant.'];
      default:
        return ['token_invalid', `The token's ${error.claim} claim is not valid.`];
    }
  }
  const unreachable =
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    // jose's generic error is what a non-200 or unparseable key-set response gives; every token fault has its own class.
    (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC') ||
    (error instanceof Error && !(error instanceof errors.JOSEError));
  if (unreachable) {
    // The key set could not be fetched (network, DNS, Entra outage): not the caller's fault.
    return ['auth_keys_unavailable', 'The sign-in keys could not be fetched; try again shortly.'];
  }
  return ['token_invalid', 'The sign-in token is not valid.'];
}
