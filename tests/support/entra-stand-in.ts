import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';

export const TEST_TENANT = '7a1b2c3d-0000-4000-8000-00000000aaaa';
export const OTHER_TENANT = '7a1b2c3d-0000-4000-8000-00000000bbbb';
export const TEST_CLIENT_ID = '3f0e0000-0000-4000-8000-00000000c11e';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/**
 * Entra ID's signing keys as the documented endpoint serves them ({host}/{tenant}/discovery/v2.0/keys,
 * a JWKS of RS256 keys with kid), and tokens shaped like Entra v2 access tokens for a tab's API
 * (aud = client id, iss = https://login.microsoftonline.com/{tid}/v2.0, scp, oid, tid). Keys are made
 * per run; `rotate()` publishes a new one, as Entra does, and counts how often the set is fetched.
 */
export class EntraStandIn {
  fetches = 0;
  /** While set, the keys endpoint answers this status (an outage). */
  failWith: number | undefined;

  private constructor(
    private readonly server: Server,
    readonly authorityHost: string,
    private keys: SigningKey[],
  ) {}

  static async start(): Promise<EntraStandIn> {
    const keys = [await newKey('key-1')];
    // The handler needs the instance, which needs the server's port: filled in once listening.
    const holder: { standIn?: EntraStandIn } = {};
    const server = createServer((req, res) => {
      const self = holder.standIn!;
      self.fetches++;
      if (self.failWith) {
        res.writeHead(self.failWith);
        res.end();
        return;
      }
      if (req.url === `/${TEST_TENANT}/discovery/v2.0/keys`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: self.keys.map((k) => k.jwk) }));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    holder.standIn = new EntraStandIn(server, `http://127.0.0.1:${port}`, keys);
    return holder.standIn;
  }

  /** Publishes a new signing key (the old one stays published, as Entra overlaps them). */
  async rotate(kid: string): Promise<void> {
    this.keys = [...this.keys, await newKey(kid)];
  }

  /** An Entra v2 access token for the tab's API; every claim can be overridden or removed (undefined). */
  async token(claims: Record<string, unknown> & { oid?: string }, options: { kid?: string; expiresInSeconds?: number; notBefore?: number; signWith?: CryptoKey } = {}): Promise<string> {
    const key = this.keys.find((k) => k.kid === (options.kid ?? this.keys[this.keys.length - 1].kid)) ?? this.keys[0];
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      aud: TEST_CLIENT_ID,
      iss: `https://login.microsoftonline.com/${TEST_TENANT}/v2.0`,
      tid: TEST_TENANT,
      scp: 'access_as_user',
      ver: '2.0',
      iat: now,
      nbf: options.notBefore ?? now,
      exp: now + (options.expiresInSeconds ?? 3600),
      ...claims,
    };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(options.signWith ?? key.privateKey);
  }

  /** Environment for loadConfig pointing the app's tab sign-in at this stand-in. */
  env(): Record<string, string> {
    return { AAD_APP_CLIENT_ID: TEST_CLIENT_ID, AAD_APP_TENANT_ID: TEST_TENANT, TAB_AUTHORITY_HOST: this.authorityHost };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** A key Entra never published: a token signed with it must be refused. */
export async function strangerKey(): Promise<CryptoKey> {
  return (await generateKeyPair('RS256')).privateKey;
}
