// A template's fingerprint: a short hash of its text, so that run-to-run memory can recognise a
// template without storing what it says.
import { createHash } from 'node:crypto';

export function fingerprint(template: string): string {
  return createHash('sha256').update(template).digest('hex').slice(0, 16);
}
