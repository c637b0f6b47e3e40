import { describe, expect, it } from 'vitest';
import { Store } from './store';

describe('Store (useSyncExternalStore bridge)', () => {
  it('publishes at once when forced, at most every throttleMs otherwise, and keeps the snapshot identity in between', () => {
    let t = 0;
    let value = 0;
    const store = new Store(() => ({ value }), 100, () => t);
    let calls = 0;
    const off = store.subscribe(() => calls++);
    const first = store.getSnapshot();
    value = 1;
    store.emit();
    expect(calls).toBe(1);
    expect(store.getSnapshot()).not.toBe(first);
    expect(store.getSnapshot().value).toBe(1);
    const second = store.getSnapshot();
    t = 50;
    value = 2;
    store.emit();
    expect(calls).toBe(1);
    expect(store.dirty).toBe(true);
    expect(store.getSnapshot()).toBe(second);
    store.emit(true);
    expect(calls).toBe(2);
    expect(store.getSnapshot().value).toBe(2);
    expect(store.dirty).toBe(false);
    off();
    store.emit(true);
    expect(calls).toBe(2);
  });
});
