import { expect, test } from 'bun:test';
import { maskTokens } from '../../src/triage/mask.ts';

const m = (s: string) => maskTokens(s).join(' ');

test('numbers, hex, UUIDs, IPs, host:port and times become the wildcard', () => {
  expect(m('took 250ms at 12:30:45 from 10.1.2.3:8080')).toBe('took <*> at <*> from <*>');
  expect(m('id 3f2b9c1e-8d4a-4c2e-9f1a-0b6d7e8f9a0b hash 0xdeadbeef ip fe80:1ff:fecd:467f')).toBe(
    'id <*> hash <*> ip <*>',
  );
  // adjacent values collapse into one
  expect(m('at 0x1f c6b3:1ff:fecd:467f end')).toBe('at <*> end');
});

test('paths, URLs and empty values', () => {
  expect(m('open /var/lib/app/data.db failed')).toBe('open <*> failed');
  expect(m('GET https://example.com/a?b=1 ok')).toBe('GET <*> ok');
  expect(m("user '' from ()")).toBe('user <*> from <*>');
});

test('sizes and durations are one value, however printed', () => {
  expect(m('sent 1190 bytes (1.16 KB) in 2 s')).toBe('sent <*> in <*>');
  expect(m('sent 7 bytes in 2 s')).toBe('sent <*> in <*>');
  expect(m('at Sun Jul 10 03:55:15 2005 done')).toBe('at <*> done');
});

test('identifiers keep their letters; key=value keeps its key', () => {
  expect(m('block blk_-6952295868487656571 on en0 uid=0 user=root')).toBe('block blk_<*> on en<*> uid=<*> user=root');
  expect(m('host8.example.net said hi')).toBe('<*> said hi');
});

test('repeated masked items read as one list', () => {
  expect(m('delete blk_1 blk_2 blk_3 now')).toBe('delete blk_<*> now');
});

test('ordinary words are left alone', () => {
  expect(m('Starting the May release for Sunday service')).toBe('Starting the May release for Sunday service');
});
