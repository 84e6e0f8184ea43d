/**
 * The identities every request looks up (tokens, access keys, users, projects) are answered
 * from memory until one of them changes (src/db/write-version.ts, IdentityVersion): a change
 * is seen by the next request, and one that is rolled back is never answered afterwards.
 */
import t from 'tap';
import { ADMIN, PROJECT_A, T0, build } from './helpers/build.js';
import { sdkSign } from './helpers/sdk.js';

const listPath = `/v5/${PROJECT_A}/image/local-repositories`;
const KEY = { ak: 'HSSEMUCACHETESTAK001', sk: 'hssEmulatorCacheTestSecretKey0000000001' };

function signedList() {
  const request = sdkSign({ method: 'GET', path: listPath, ak: KEY.ak, sk: KEY.sk, projectId: PROJECT_A, at: T0 });
  return { method: 'GET' as const, url: request.url, headers: request.headers };
}

t.test('an access key added in a transaction that rolls back does not sign afterwards; a committed one does at once', async (t) => {
  const emu = build(t);
  const addKey = emu.db.prepare("INSERT INTO access_keys (ak, user_id, sk) SELECT ?, user_id, ? FROM users WHERE name = 'admin'");
  t.equal((await emu.app.inject(signedList())).statusCode, 401, 'an unknown AK (and that answer is now cached)');

  t.throws(
    () =>
      emu.db.transaction(() => {
        addKey.run(KEY.ak, KEY.sk);
        t.ok(emu.services.identities.accessKey(KEY.ak), 'the transaction that adds the key sees it');
        throw new Error('a later step fails');
      })(),
    /a later step fails/,
  );
  const afterRollback = await emu.app.inject(signedList());
  t.equal(afterRollback.statusCode, 401, 'the rolled-back key is unknown again');
  t.match(afterRollback.json(), { error_msg: /ak not exist/ });

  addKey.run(KEY.ak, KEY.sk);
  t.equal((await emu.app.inject(signedList())).statusCode, 200, 'the committed key signs at the next request');
  emu.db.prepare('DELETE FROM access_keys WHERE ak = ?').run(KEY.ak);
  t.equal((await emu.app.inject(signedList())).statusCode, 401, 'and a deleted one stops at the next request');
});

t.test('a token is refused at the next request once its user loses the project', async (t) => {
  const emu = build(t);
  const list = () => emu.inject({ method: 'GET', url: listPath });
  t.equal((await list()).statusCode, 200);
  t.equal((await list()).statusCode, 200, 'again, from the cached identities');
  emu.db.prepare("DELETE FROM user_projects WHERE project_id = ? AND user_id = (SELECT user_id FROM users WHERE name = ?)").run(PROJECT_A, ADMIN.name);
  t.equal((await list()).statusCode, 403, 'the grant is gone');
});

t.test("an AK's lockout is read from memory until it changes, however it changes", async (t) => {
  const emu = build(t);
  const signed = () => {
    const request = sdkSign({ method: 'GET', path: listPath, ak: ADMIN.ak, sk: ADMIN.sk, projectId: PROJECT_A, at: T0 });
    return emu.app.inject({ method: 'GET', url: request.url, headers: request.headers });
  };
  t.equal((await signed()).statusCode, 200);
  t.equal((await signed()).statusCode, 200, 'again, with the key known to have no failures');
  emu.db.prepare('INSERT INTO ak_failures (ak, failures, locked_until) VALUES (?, 0, ?)').run(ADMIN.ak, T0 + 60_000);
  const locked = await signed();
  t.equal(locked.statusCode, 401, 'a lock written by any path is seen at the next request');
  t.match(locked.json(), { error_msg: /reach the limit/ });
  emu.db.prepare('DELETE FROM ak_failures WHERE ak = ?').run(ADMIN.ak);
  t.equal((await signed()).statusCode, 200, 'and its end too');
});
