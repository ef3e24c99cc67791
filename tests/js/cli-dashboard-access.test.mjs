// Who may see the deliveries (pkg/cli/dashboard-access.js), in process: the Host names the
// dashboard answers to, where the token is read from (Bearer header, then the per-port cookie),
// the comparison, and the cookie that keeps it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { DashboardAccess } from '../../pkg/cli/dashboard-access.js';

const TOKEN = 'Dashboard-Token-0123456789';
const access = new DashboardAccess({ token: TOKEN, port: 8123, hosts: ['Hooks.Example.com:443', '[fd00::1]', '', 'bad host'] });
const req = (headers) => ({ headers });

test('hostAllowed: IP addresses, localhost and its subdomains, and the configured names only', () => {
  for (const host of ['127.0.0.1', '127.0.0.1:8123', '10.1.2.3:80', '[::1]:8123', '[::1]', 'localhost', 'LOCALHOST:8123',
    'app.localhost', 'a.b.localhost:1', 'hooks.example.com', 'HOOKS.EXAMPLE.COM:8123', '[fd00::1]:9']) {
    assert.equal(access.hostAllowed(req({ host })), true, host);
  }
  for (const host of [undefined, '', 'evil.example', 'example.com', 'evillocalhost', 'localhost.evil.example',
    'hooks.example.com.evil', 'bad host', 'a b:1', ['127.0.0.1'], 'host:99999']) {
    assert.equal(access.hostAllowed(req({ host })), false, String(host));
  }
  const bare = new DashboardAccess({ token: TOKEN, port: 1, hosts: [] });
  assert.equal(bare.hostAllowed(req({ host: 'hooks.example.com' })), false);
  assert.equal(bare.hostAllowed(req({ host: 'localhost' })), true);
});

test('tokenMatches: the token exactly', () => {
  assert.equal(access.tokenMatches(TOKEN), true);
  assert.equal(access.tokenMatches(`${TOKEN} `), false);
  assert.equal(access.tokenMatches(TOKEN.slice(1)), false);
  assert.equal(access.tokenMatches(''), false);
  assert.equal(access.tokenMatches(null), false);
});

test('carried: Authorization: Bearer first, else this port\'s cookie', () => {
  assert.equal(access.carried(req({})), null);
  assert.equal(access.carried(req({ authorization: `Bearer ${TOKEN}` })), TOKEN);
  assert.equal(access.carried(req({ authorization: `bearer   ${TOKEN}  ` })), TOKEN);
  assert.equal(access.carried(req({ authorization: `Basic ${TOKEN}` })), null);
  assert.equal(access.carried(req({ authorization: 'Bearer a b' })), null);
  assert.equal(access.carried(req({ authorization: 'Bearer' })), null);
  assert.equal(access.carried(req({ authorization: `xBearer ${TOKEN}` })), null);
  assert.equal(access.carried(req({ cookie: `dms_webhook_8123=${TOKEN}` })), TOKEN);
  assert.equal(access.carried(req({ cookie: `a=1; dms_webhook_8123 = ${TOKEN} ; b=2` })), TOKEN);
  assert.equal(access.carried(req({ cookie: `dms_webhook_8124=${TOKEN}` })), null, 'another port\'s cookie');
  assert.equal(access.carried(req({ cookie: `x_dms_webhook_8123=${TOKEN}` })), null);
  assert.equal(access.carried(req({ cookie: `=${TOKEN}; dms_webhook_8123` })), null);
  assert.equal(access.carried(req({ cookie: 'dms_webhook_8123=a=b' })), 'a=b');
  // A part without '=' is no cookie, whatever its text: the next part is read.
  assert.equal(access.carried(req({ cookie: `dms_webhook_8123x; dms_webhook_8123=${TOKEN}` })), TOKEN);
  assert.equal(access.carried(req({ cookie: 'dms_webhook_8123=first; dms_webhook_8123=second' })), 'first');
  // The header wins over the cookie; a header that is not Bearer leaves the cookie.
  assert.equal(access.carried(req({ authorization: 'Bearer from-header', cookie: 'dms_webhook_8123=from-cookie' })), 'from-header');
  assert.equal(access.carried(req({ authorization: 'Basic x', cookie: 'dms_webhook_8123=from-cookie' })), 'from-cookie');
});

test('allowed: the right token by header or cookie; nothing, or a wrong one, refused', () => {
  assert.equal(access.allowed(req({ authorization: `Bearer ${TOKEN}` })), true);
  assert.equal(access.allowed(req({ cookie: `dms_webhook_8123=${TOKEN}` })), true);
  assert.equal(access.allowed(req({})), false);
  assert.equal(access.allowed(req({ authorization: 'Bearer wrong-token-000000000' })), false);
  assert.equal(access.allowed(req({ authorization: 'Bearer wrong', cookie: `dms_webhook_8123=${TOKEN}` })), false);
  assert.equal(access.allowed(req({ cookie: `dms_webhook_8123=${TOKEN}x` })), false);
});

test('cookie: named after the port, HttpOnly, SameSite=Strict, for the whole site', () => {
  assert.equal(access.cookieName, 'dms_webhook_8123');
  assert.equal(access.cookie(), `dms_webhook_8123=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`);
});
