import { describe, expect, it, vi } from 'vitest';
import { Grow } from './grow.svelte';

describe('progressive rendering of long tables', () => {
  it('shows the first rows at once and the rest a slice at a time', () => {
    vi.useFakeTimers();
    const g = new Grow(40, 40);
    g.reset(500);
    expect(g.limit).toBe(40);
    vi.advanceTimersByTime(17);
    expect(g.limit).toBe(80);
    vi.runAllTimers();
    expect(g.limit).toBe(500);
    vi.useRealTimers();
  });
  it('keeps what is shown when the list keeps its length, so rows do not vanish while typing', () => {
    vi.useFakeTimers();
    const g = new Grow(10, 10);
    g.reset(30);
    vi.runAllTimers();
    g.reset(30);
    expect(g.limit).toBe(30);
    g.reset(5);
    expect(g.limit).toBe(5);
    vi.useRealTimers();
  });
  it('stops filling in at its cap and shows more a step at a time when asked', () => {
    vi.useFakeTimers();
    const g = new Grow(10, 10, 30);
    g.reset(45);
    vi.runAllTimers();
    expect([g.limit, g.hidden()]).toEqual([30, 15]);
    g.more();
    expect([g.limit, g.hidden()]).toEqual([40, 5]);
    g.more();
    expect([g.limit, g.hidden()]).toEqual([45, 0]);
    vi.useRealTimers();
  });
  it('stops filling in an old list once a new one has started', () => {
    vi.useFakeTimers();
    const g = new Grow(10, 10);
    g.reset(500);
    g.reset(15);
    vi.runAllTimers();
    expect(g.limit).toBe(15);
    vi.useRealTimers();
  });
});
