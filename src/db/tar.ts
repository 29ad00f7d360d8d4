// A reader for the plain ustar archives PGlite writes (dumpDataDir): folders and regular files only. The
// shipped database cluster is unpacked with it, so a first start needs neither a `tar` program (the image
// has none) nor a PGlite instance to load the archive.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const BLOCK = 512;

function field(header: Uint8Array, offset: number, length: number): string {
  const bytes = header.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end === -1 ? bytes : bytes.subarray(0, end));
}

function octal(header: Uint8Array, offset: number, length: number): number {
  const text = field(header, offset, length).trim();
  return text ? Number.parseInt(text, 8) : 0;
}

/** The entry's path below the archive root; refuses paths that would leave it. */
function relativePath(header: Uint8Array): string {
  const prefix = field(header, 345, 155);
  const name = field(header, 0, 100);
  const path = normalize((prefix ? `${prefix}/${name}` : name).replace(/^\/+/, ''));
  if (path === '..' || path.startsWith('../') || path.startsWith('/'))
    throw new Error(`tar: entry ${JSON.stringify(path)} leaves the target folder`);
  return path === '.' ? '' : path.replace(/\/+$/, '');
}

/** Writes the folders and files of a ustar archive under `target` (created when missing); returns the file count. */
export function extractTar(archive: Uint8Array, target: string): number {
  mkdirSync(target, { recursive: true, mode: 0o700 });
  let files = 0;
  for (let at = 0; at + BLOCK <= archive.length; ) {
    const header = archive.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break; // the end-of-archive blocks
    if (field(header, 257, 5) !== 'ustar') throw new Error(`tar: no ustar header at byte ${at}`);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const path = relativePath(header);
    const mode = octal(header, 100, 8) & 0o777;
    const data = archive.subarray(at + BLOCK, at + BLOCK + size);
    if (data.length !== size) throw new Error(`tar: ${path} is cut short`);
    if (type === '5') {
      if (path) mkdirSync(join(target, path), { recursive: true, mode: mode || 0o700 });
    } else if (type === '0' || type === '\0') {
      mkdirSync(dirname(join(target, path)), { recursive: true, mode: 0o700 });
      writeFileSync(join(target, path), data, { mode: mode || 0o600 });
      files++;
    } else {
      throw new Error(`tar: ${path} is of a kind this reader does not write (type ${JSON.stringify(type)})`);
    }
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
