import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { ImageStore, imageRefOf, normalizeImageName } from './images.js';

const dir = mkdtempSync(join(tmpdir(), 'kite-images-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('normalizes names as Docker does', () => {
  assert.equal(normalizeImageName('busybox'), 'docker.io/library/busybox:latest');
  assert.equal(normalizeImageName('me/app:1'), 'docker.io/me/app:1');
  assert.equal(normalizeImageName('localhost:5000/app'), 'localhost:5000/app:latest');
  assert.equal(normalizeImageName('registry.k8s.io/pause:3.9'), 'registry.k8s.io/pause:3.9');
});

it('records pulled images with a stable reference, finds them by name, ref or id, and removes them', () => {
  const store = new ImageStore(dir);
  const ref = store.pull('busybox');
  assert.equal(ref, imageRefOf('busybox:latest'));
  assert.match(ref, /^kite\.local\/docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
  assert.equal(store.pull('docker.io/library/busybox:latest'), ref);
  const image = store.find('busybox')!;
  assert.deepEqual(image.repoTags, ['docker.io/library/busybox:latest']);
  assert.equal(store.find(ref)?.id, image.id);
  assert.equal(store.find(image.id)?.id, image.id);
  assert.equal(store.find('alpine'), undefined);
  // Persisted: a new store over the same root finds it.
  assert.equal(new ImageStore(dir).list().length, 1);
  store.remove(ref);
  store.remove(ref);
  assert.equal(new ImageStore(dir).find('busybox'), undefined);
});
