import { describe, expect, it } from 'vitest';
import { ConnectivityWatch } from '../../../main/core/connectivityWatch.ts';

describe('ConnectivityWatch', () => {
  it('reports the network coming back, and a wake from sleep, but not ordinary ticks or offline time', () => {
    let now = 0;
    let online = true;
    const events: string[] = [];
    const watch = new ConnectivityWatch({
      onRegain: (r) => events.push(r),
      isOnline: () => online,
      now: () => now,
      tickMs: 15_000,
    });
    const tickAt = (t: number) => {
      now = t;
      watch.tick();
    };
    tickAt(15_000);
    tickAt(30_000);
    expect(events).toEqual([]);
    online = false;
    tickAt(45_000);
    online = true;
    tickAt(60_000);
    expect(events).toEqual(['network']);
    tickAt(60_000 + 3_600_000); // the lid was closed for an hour
    expect(events).toEqual(['network', 'wake']);
    online = false;
    tickAt(60_000 + 7_200_000); // asleep and offline: nothing to do until the network is back
    expect(events).toEqual(['network', 'wake']);
  });
});
