// WebGPU tests run wherever an adapter exists: on CPU-only machines that is Mesa's lavapipe
// (mesa-vulkan-drivers >= 23; .ci/run installs it and sets VESSEL_REQUIRE_WEBGPU=1 so that a missing
// adapter fails instead of skipping).
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { initBackend } from '../../main/engine/backends';

let probe: Promise<string | null> | null = null;

/** True when WebGPU runs here; otherwise skips the test (or fails it, where an adapter is required). */
export async function webgpuReady(t: TestContext): Promise<boolean> {
  probe ??= initBackend('webgpu').then(
    () => null,
    (e: Error) => e.message,
  );
  const why = await probe;
  if (why === null) return true;
  if (process.env.VESSEL_REQUIRE_WEBGPU === '1') assert.fail(`WebGPU is required here: ${why}`);
  t.skip(why);
  return false;
}
