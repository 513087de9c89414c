// A real OpenID Connect provider for the single sign-on tests: oidc-provider (an OpenID
// Certified implementation) on loopback, with its own login page (devInteractions).
//
//   node server.mjs   (environment: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS,
//                      OIDC_POST_LOGOUT_REDIRECT_URIS, comma-separated)
//
// It listens on a free port of 127.0.0.1 and prints one line, "ready <issuer>", once it
// answers. Two test-only addresses change what it does, so that a test can describe a
// member and a misbehaving provider:
//   POST /_test/accounts  {"<login>": {claims}}  the claims each login name receives
//   POST /_test/faults    {"id_token": {claim: value}, "token_status": 503}
//     id_token: claims overwritten in every ID token the token endpoint issues (re-signed
//     with the provider's own key, so only the claims are wrong); token_status: the token
//     endpoint answers with this error status instead. {} clears the faults.
import http from 'node:http';

import { exportJWK, generateKeyPair, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import Provider from 'oidc-provider';

const list = (name) => (process.env[name] || '').split(',').filter(Boolean);

const accounts = {};
let faults = {};

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

async function readJson(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString() || '{}');
}

async function resign(idToken, overrides) {
  const header = decodeProtectedHeader(idToken);
  const claims = { ...decodeJwt(idToken), ...overrides };
  return new SignJWT(claims).setProtectedHeader(header).sign(privateKey);
}

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: list('OIDC_REDIRECT_URIS'),
      post_logout_redirect_uris: list('OIDC_POST_LOGOUT_REDIRECT_URIS'),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [signingKey] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
    membership: ['member_number', 'membership_expires', 'active_member', 'groups'],
  },
  scopes: ['openid', 'offline_access', 'email', 'profile', 'membership'],
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    return { accountId: id, claims: async () => ({ ...(accounts[id] || {}), sub: id }) };
  },
  // A first-party client: the member is not asked to consent to each scope.
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    const grantId = session.grantIdFor(client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope('openid email profile membership offline_access');
    await grant.save();
    session.grantIdFor(client.clientId, grant.jti);
    return grant;
  },
  // The portal's daily refresh needs a refresh token without asking for offline consent.
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  conformIdTokenClaims: false,
});

provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/_test/accounts') {
    Object.assign(accounts, await readJson(ctx));
    ctx.body = { accounts: Object.keys(accounts) };
    return;
  }
  if (ctx.method === 'POST' && ctx.path === '/_test/faults') {
    faults = await readJson(ctx);
    ctx.body = faults;
    return;
  }
  if (ctx.path === '/token' && faults.token_status) {
    ctx.status = faults.token_status;
    ctx.body = { error: 'temporarily_unavailable' };
    return;
  }
  await next();
  if (ctx.path === '/token' && faults.id_token && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await resign(ctx.body.id_token, faults.id_token) };
  }
});

server.on('request', provider.callback());
process.stdout.write(`ready ${issuer}\n`);
