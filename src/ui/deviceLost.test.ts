/**
 * The words of a device-loss recovery (issue 21 item 10): every run says what happened to it, the
 * primary and each compared run of the split view: restored from a step, or started over.
 */
import { describe, expect, it } from 'vitest';
import { eventMessage, type EngineEvent } from '../engine/events';
import { messageText } from './messages';

const text = (e: EngineEvent): string => messageText(eventMessage(e));

describe('device-lost message', () => {
  it('names the restored step, or says the run was reset', () => {
    expect(text({ type: 'device-lost', reason: 'destroyed', recoveredOn: 'gpu', fromStep: 120 })).toBe('GPU device lost (destroyed) — recovered on a new device from the snapshot at step 120');
    expect(text({ type: 'device-lost', reason: 'destroyed', recoveredOn: 'cpu', fromStep: undefined })).toBe('GPU device lost (destroyed) — recovered on the CPU engine; no snapshot yet, so the run was reset');
  });

  it('in split view, says for each compared run whether it was restored or restarted', () => {
    const t = text({
      type: 'device-lost',
      reason: 'destroyed',
      recoveredOn: 'gpu',
      fromStep: 40,
      runs: [
        { method: 'svgd', fromStep: 40 },
        { method: 'wgd', fromStep: undefined },
      ],
    });
    expect(t).toMatch(/^GPU device lost \(destroyed\) — recovered on a new device from the snapshot at step 40; /);
    expect(t).toMatch(/second run \(SVGD[^)]*\) restored from step 40/);
    expect(t).toMatch(/third run \([^)]+\) had no snapshot: restarted from step 0$/);
  });
});
