import { randomBytes } from 'node:crypto';
import { decodeJwt, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../shared/clock.js';
import type { TabCaller } from './tab-auth.js';

const ISSUER = 'urn:development-hub:dev-sign-in';
const AUDIENCE = 'urn:development-hub:tab';
const LIFETIME_SECONDS = 8 * 3600;

/**
 * Local runs only (DEV_SIGN_IN=on, refused by config next to production credentials): the tab
 * opened in a plain browser picks a sample person and gets a token signed with a key made at start
 * and never written anywhere, so a restart signs everyone out and no token outlives the process.
 */
export interface DevSignIn {
  /** Whether a token claims to be one of ours (it is then checked by `verify`, never by Entra's keys). */
  issued(token: string): boolean;
  verify(token: string): Promise<TabCaller | undefined>;
  sign(aadObjectId: string): Promise<{ token: string; expiresAt: string }>;
}

export function createDevSignIn(clock: Clock): DevSignIn {
  const key = randomBytes(32);
  return {
    issued(token) {
      try {
        return decodeJwt(token).iss === ISSUER;
      } catch {
        return false;
      }
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], currentDate: clock.now() });
        return typeof payload.sub === 'string' ? { oid: payload.sub, tid: 'dev-sign-in', via: 'dev_sign_in' } : undefined;
      } catch {
        return undefined;
      }
    },
    async sign(aadObjectId) {
      const now = Math.floor(clock.now().getTime() / 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(aadObjectId.toLowerCase())
        .setIssuedAt(now)
        .setExpirationTime(now + LIFETIME_SECONDS)
        .sign(key);
      return { token, expiresAt: new Date((now + LIFETIME_SECONDS) * 1000).toISOString() };
    },
  };
}
