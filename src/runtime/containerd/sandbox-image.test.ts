import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Image } from '../runtime.js';
import { SandboxImagePin } from './sandbox-image.js';

const image = (id: string, tag: string, pinned?: boolean): Image => ({ id, repoTags: [tag], repoDigests: [], sizeBytes: 1, ...(pinned ? { pinned } : {}) });

describe('SandboxImagePin', () => {
  it("marks the CRI config's sandbox image pinned, asking Status once", async () => {
    let asked = 0;
    const pin = new SandboxImagePin({
      statusInfo: async () => {
        asked++;
        return { config: JSON.stringify({ sandboxImage: 'registry.k8s.io/pause:3.9' }) };
      },
      imageId: async () => assert.fail('found by tag'),
    });
    const marked = await pin.mark([image('sha256:p', 'registry.k8s.io/pause:3.9'), image('sha256:b', 'busybox:1')]);
    assert.deepEqual(marked.map((i) => i.pinned), [true, undefined]);
    await pin.mark([]);
    assert.equal(asked, 1);
  });

  it('resolves a name no image carries through the runtime, only for lists', async () => {
    const pin = new SandboxImagePin({ statusInfo: async () => ({ config: '{"sandboxImage":"pause:3.9"}' }), imageId: async () => 'sha256:p' });
    assert.equal((await pin.mark([image('sha256:p', 'docker.io/library/pause:3.9')]))[0]?.pinned, true);
    assert.equal((await pin.mark([image('sha256:p', 'docker.io/library/pause:3.9')], false))[0]?.pinned, undefined);
  });

  it('leaves images alone when the runtime pins by itself or does not say', async () => {
    const own = new SandboxImagePin({ statusInfo: async () => assert.fail('not asked'), imageId: async () => undefined });
    const images = [image('a', 'a:1', true), image('b', 'b:1')];
    assert.equal(await own.mark(images), images);
    const silent = new SandboxImagePin({ statusInfo: async () => Promise.reject(new Error('unimplemented')), imageId: async () => undefined });
    assert.deepEqual(await silent.mark([image('b', 'b:1')]), [image('b', 'b:1')]);
  });
});
