// postgres.js options shared by both backends. int8 (bigint ids, count(*)) is parsed as a JS number:
// ids and counts here stay far below 2^53, and numbers serialise to JSON as the API promises.
import type postgres from 'postgres';

export const sharedOptions = {
  onnotice: () => {},
  types: {
    bigint: {
      to: 20,
      from: [20],
      serialize: (x: number | bigint) => x.toString(),
      parse: (x: string) => Number(x),
    },
  },
} satisfies postgres.Options<Record<string, postgres.PostgresType>>;
