import { useEffect, useState } from 'react';
import type { IndexDamageReport } from '../../../shared/api/health.ts';
import { api } from '../apiClient.ts';

/** How often health is asked again: damage found while the app runs (the core's background check) shows within this. */
const RECHECK_MS = 30_000;

/**
 * A banner across the app while the core reports its index damaged (GET
 * /v1/health): nothing is saved meanwhile, and `outpost repair` rebuilds it.
 */
export function IndexDamageBanner() {
  const [damage, setDamage] = useState<IndexDamageReport | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const check = () =>
      api.health(controller.signal).then(
        (health) => setDamage(health.index_damage ?? null),
        () => {}, // The core unreachable is the sync status's to say.
      );
    void check();
    const timer = setInterval(check, RECHECK_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, []);
  if (!damage) return null;
  return (
    <div className="index-damage-banner" role="alert">
      <strong>Outpost's index is damaged.</strong> Nothing is saved or synced until it is repaired: quit Outpost and run{' '}
      <code>outpost repair</code>, which rebuilds it from the messages kept on this computer and your accounts.{' '}
      <span className="index-damage-detail">({damage.problems[0] ?? damage.message})</span>
    </div>
  );
}
