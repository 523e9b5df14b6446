// A small OpenID provider on loopback, for the browser tests and the demo (docs/identity.md).
//
//   node tools/oidc_provider.mjs --config path/to/provider.json
//
// The configuration file (JSON) names:
//   issuer        "http://127.0.0.1:<port>" (the port it listens on is taken from it)
//   clients       [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}]
//   keys_file     a private JWK set (the first key signs); read at start: rotate by restarting
//   accounts_file {"<login>": {"email", "name", "groups": [...]}}; read at every sign-in, so a
//                 test or a demo can move someone between groups while the provider runs
//   ttl           optional seconds for ID and access tokens (default 3600)
//
// Sign-in uses oidc-provider's development interactions: any login listed in the accounts file,
// any password. Consent is implied for the configured clients. Listens on 127.0.0.1 only and
// prints one line, "oidc-provider listening on <issuer>", when it is ready.
import { readFileSync } from 'node:fs';
import process from 'node:process';

import Provider from 'oidc-provider';

const args = process.argv.slice(2);
const configPath = args[args.indexOf('--config') + 1];
if (!configPath || args.indexOf('--config') === -1) {
  console.error('usage: node tools/oidc_provider.mjs --config provider.json');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const issuer = new URL(config.issuer);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname)) {
  console.error('this provider is for loopback only');
  process.exit(2);
}
const keys = JSON.parse(readFileSync(config.keys_file, 'utf8')).keys;
const ttl = Number(config.ttl || 3600);

function accounts() {
  return JSON.parse(readFileSync(config.accounts_file, 'utf8'));
}

const provider = new Provider(config.issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  jwks: { keys },
  cookies: { keys: [`${config.issuer}-cookie-key-for-loopback-tests-only`] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  // Like Entra ID: the claims asked for by scope travel in the ID token itself.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  ttl: { IdToken: ttl, AccessToken: ttl, Session: ttl, Grant: ttl, Interaction: 600 },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        // Read again when the tokens are made: group changes apply at the next sign-in.
        const now = accounts()[id] || account;
        return {
          sub: id,
          email: now.email,
          email_verified: true,
          name: now.name,
          groups: now.groups || [],
        };
      },
    };
  },
  async loadExistingGrant(ctx) {
    // First-party clients: the force has consented for its officers; no consent page.
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><title>Provider error</title><h1>Provider error</h1><pre>${
      String(out.error).replace(/[<>&]/g, '')}: ${String(out.error_description || '').replace(/[<>&]/g, '')}</pre>`;
  },
});

provider.on('server_error', (ctx, error) => console.error('server_error', error));

const server = provider.listen(Number(issuer.port), issuer.hostname.replace(/^\[|\]$/g, ''), () => {
  console.log(`oidc-provider listening on ${config.issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
