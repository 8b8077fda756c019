/** Kinds of remote reference that stay blocked after "Show images" (only https <img> sources load). */
export const BLOCKED_KINDS = {
  otherImage: ['other image', 'other images'],
  style: ['remote style', 'remote styles'],
  background: ['background image', 'background images'],
  srcset: ['alternative image source', 'alternative image sources'],
  svg: ['SVG reference', 'SVG references'],
  media: ['video or audio file', 'video or audio files'],
  linked: ['linked resource', 'linked resources'],
  embedded: ['embedded page or object', 'embedded pages or objects'],
  script: ['remote script', 'remote scripts'],
  other: ['other remote reference', 'other remote references'],
} as const;

export type BlockedKind = keyof typeof BLOCKED_KINDS;

/** What an email refers to outside itself, counted while it is sanitized. */
export interface RemoteContentReport {
  /** https <img> sources: shown once the person allows images, blocked before. */
  images: number;
  /** Everything else remote, blocked either way, by kind. */
  blocked: Partial<Record<BlockedKind, number>>;
}

export function emptyReport(): RemoteContentReport {
  return { images: 0, blocked: {} };
}

/**
 * The reader's notice, saying exactly what was blocked: before "Show images"
 * everything remote ("Remote content blocked to protect your privacy: 4
 * images, 2 remote styles and 1 SVG reference."), after it what was shown
 * and what still was not ("3 images shown; 2 remote styles and 1 SVG
 * reference blocked."). Null when the message refers to nothing remote.
 */
export function blockedNotice(report: RemoteContentReport, imagesShown: boolean): string | null {
  const blocked = (Object.keys(BLOCKED_KINDS) as BlockedKind[])
    .map((kind) => [kind, report.blocked[kind] ?? 0] as const)
    .filter(([, count]) => count > 0);
  if (!imagesShown) {
    const images = report.images + (report.blocked.otherImage ?? 0);
    const parts = [
      ...(images > 0 ? [count(images, ['image', 'images'])] : []),
      ...blocked.filter(([kind]) => kind !== 'otherImage').map(([kind, n]) => count(n, BLOCKED_KINDS[kind])),
    ];
    return parts.length > 0 ? `Remote content blocked to protect your privacy: ${list(parts)}.` : null;
  }
  const parts = blocked.map(([kind, n]) => count(n, BLOCKED_KINDS[kind]));
  if (report.images === 0) return parts.length > 0 ? `${list(parts)} blocked to protect your privacy.` : null;
  const shown = count(report.images, ['image', 'images']);
  return parts.length > 0 ? `${shown} shown; ${list(parts)} blocked.` : `${shown} shown.`;
}

function count(n: number, [one, many]: readonly [string, string]): string {
  return `${n} ${n === 1 ? one : many}`;
}

function list(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
