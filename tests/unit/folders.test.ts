import { afterAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderError, ensureWritableFolder } from '../../src/folders.ts';

const root = mkdtempSync(join(tmpdir(), 'cb-folders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('logs and uploads folders', () => {
  test('a missing folder is created', () => {
    const path = join(root, 'a', 'b', 'logs');
    ensureWritableFolder('CYBER_BRAIN_LOGS', path);
    expect(existsSync(path)).toBe(true);
  });

  test('a path through a file is refused with the variable named', () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    expect(() => ensureWritableFolder('CYBER_BRAIN_LOGS', join(file, 'logs'))).toThrow(FolderError);
    expect(() => ensureWritableFolder('CYBER_BRAIN_LOGS', join(file, 'logs'))).toThrow(
      /^CYBER_BRAIN_LOGS=".*" cannot be created: a part of the path is a file/,
    );
  });

  test('a read-only place is refused', () => {
    expect(() => ensureWritableFolder('CYBER_BRAIN_UPLOADS', '/proc/cyber-brain-uploads')).toThrow(
      /^CYBER_BRAIN_UPLOADS=/,
    );
  });
});
