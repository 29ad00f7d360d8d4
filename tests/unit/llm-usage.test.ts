import { describe, expect, test } from 'bun:test';
import { estimateTokens, estimateUsage, readUsage } from '../../src/llm/usage.ts';

describe('token usage', () => {
  test('the server usage is taken exactly; a missing total is the sum of its parts', () => {
    expect(readUsage({ prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 })).toEqual({
      promptTokens: 12,
      completionTokens: 5,
      totalTokens: 17,
      estimated: false,
    });
    expect(readUsage({ prompt_tokens: 12, completion_tokens: 5 })).toEqual({
      promptTokens: 12,
      completionTokens: 5,
      totalTokens: 17,
      estimated: false,
    });
  });

  test('absent or unusable usage is null (the caller estimates)', () => {
    for (const u of [
      undefined,
      null,
      'x',
      {},
      { prompt_tokens: 1 },
      { prompt_tokens: -1, completion_tokens: 2 },
      { prompt_tokens: 1.5, completion_tokens: 2 },
      { prompt_tokens: '3', completion_tokens: 2 },
    ]) {
      expect(readUsage(u)).toBeNull();
    }
  });

  test('the estimate: ceil(chars / 4) per content plus 4 tokens per prompt message, flagged estimated', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    const u = estimateUsage(
      [
        { role: 'system', content: 'x'.repeat(40) },
        { role: 'user', content: 'y'.repeat(9) },
      ],
      'z'.repeat(21),
    );
    expect(u).toEqual({ promptTokens: 4 + 10 + 4 + 3, completionTokens: 6, totalTokens: 27, estimated: true });
  });
});
