import { createServer, type Server } from 'node:http';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/**
 * Bot Framework's token service as botbuilder reads it: an OpenID configuration document and its
 * JWKS (login.botframework.com/v1/.well-known/openidconfiguration → jwks_uri), on 127.0.0.1. The app
 * is pointed at it with BOT_OPENID_METADATA_URL; `sign` makes RS256 tokens with its key (or any key),
 * so tests can send well-formed tokens that botbuilder's own validation must refuse.
 * `mode = 'failing'` answers 500 to every request, as an outage of the metadata endpoint would.
 */
export interface BotFrameworkKeys {
  metadataUrl: string;
  kid: string;
  privateKey: KeyObject;
  mode: 'serving' | 'failing';
  requests: number;
  close(): Promise<void>;
}

const b64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

export async function startBotFrameworkKeys(): Promise<BotFrameworkKeys> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = 'stand-in-key-1';
  const server: Server = createServer((req, res) => {
    keys.requests += 1;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (keys.mode === 'failing') {
      res.statusCode = 500;
      res.end('metadata outage');
      return;
    }
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') {
      res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/v1/.well-known/keys') {
      res.end(JSON.stringify({ keys: [{ ...jwk, kid, kty: 'RSA', use: 'sig', endorsements: ['msteams'] }] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  const keys: BotFrameworkKeys = {
    metadataUrl: '',
    kid,
    privateKey,
    mode: 'serving',
    requests: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  keys.metadataUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
  return keys;
}

/** An RS256 JWT over `claims`, signed with `key` and carrying `kid` in its header. */
export function signToken(claims: Record<string, unknown>, key: KeyObject, kid: string, alg = 'RS256'): string {
  const head = b64url(JSON.stringify({ alg, typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  if (alg === 'none') return `${head}.${body}.`;
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key);
  return `${head}.${body}.${b64url(signature)}`;
}

/** The claims Bot Framework puts in a token for this bot, valid for an hour from now. */
export function channelClaims(appId: string, serviceUrl: string, now = Date.now()): Record<string, unknown> {
  const seconds = Math.floor(now / 1000);
  return { iss: 'https://api.botframework.com', aud: appId, serviceurl: serviceUrl, nbf: seconds - 60, exp: seconds + 3600, iat: seconds - 60 };
}
