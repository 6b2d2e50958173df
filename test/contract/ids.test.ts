import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImageId } from '../../preload/contract';
import { staticFile } from '../../main/app/static-path';

test('ids that double as file names refuse path tricks', () => {
  for (const ok of ['01_test', 'v2', 'a.b-c']) assert.equal(ImageId.safeParse(ok).success, true, ok);
  for (const bad of ['.', '..', '../x', 'a/b', '', 'x'.repeat(129), 'a b']) assert.equal(ImageId.safeParse(bad).success, false, bad);
});

test('static files resolve inside the root only', () => {
  assert.equal(staticFile('/srv/app', '/'), '/srv/app/index.html');
  assert.equal(staticFile('/srv/app', '/app.js'), '/srv/app/app.js');
  // Climbing out is confined to the root (or refused); undecodable paths are refused.
  for (const climb of ['/../etc/passwd', '/%2e%2e/etc/passwd', '/a/../../x', '/..%2f..%2fx']) {
    const p = staticFile('/srv/app', climb);
    assert.ok(p === null || p.startsWith('/srv/app/'), `${climb} -> ${p}`);
  }
  assert.equal(staticFile('/srv/app', '/../etc/passwd'), '/srv/app/etc/passwd');
  assert.equal(staticFile('/srv/app', '/%E0%A4%A'), null);
});
