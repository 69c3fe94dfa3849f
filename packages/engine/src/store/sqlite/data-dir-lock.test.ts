/**
 * The data-directory lock: one engine per directory, stale locks of dead processes taken over.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lockDataDir } from './data-dir-lock.js';

describe('data directory lock', () => {
  it('refuses a second lock while the first is held and allows one after release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argyll-lock-'));
    const first = lockDataDir(dir);
    assert.throws(() => lockDataDir(dir), /is in use by another engine \(process \d+\)/);
    first.release();
    assert.equal(existsSync(join(dir, 'argyll.lock')), false);
    lockDataDir(dir).release();
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argyll-lock-'));
    const finished = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'argyll.lock'), finished.stdout);
    const lock = lockDataDir(dir);
    lock.release();
  });
});
