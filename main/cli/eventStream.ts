import type { CoreEvent, JobSnapshot } from '../../shared/events.ts';
import { OutpostError } from '../core/outpostError.ts';

export interface OpenEventStream {
  /** Settles when the stream ends: the server stopped, the credentials ended, or close(). */
  ended: Promise<void>;
  close(): void;
}

/**
 * Follows a running server's GET /v1/events (Server-Sent Events) with a
 * session or API key, handing each event to `onEvent`. Resolves once the
 * server has answered and the stream is open, so nothing that happens after
 * is missed.
 */
export async function openEventStream(
  baseUrl: string,
  token: string,
  onEvent: (event: CoreEvent) => void,
): Promise<OpenEventStream> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/v1/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  }).catch((error: unknown) => {
    throw new OutpostError('network_error', `cannot reach Outpost at ${baseUrl}: ${(error as Error).message}`);
  });
  if (!response.ok || !response.body)
    throw new OutpostError('internal_error', `the event stream at ${baseUrl} answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const read = async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = buffer
          .slice(0, end)
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        buffer = buffer.slice(end + 2);
        if (data) onEvent(JSON.parse(data) as CoreEvent);
      }
    }
  };
  return {
    ended: read().catch(() => {}),
    close: () => abort.abort(),
  };
}

/** Reads a job from a running server (GET /v1/jobs/{id}); undefined when it cannot be read. */
export function jobReader(baseUrl: string, token: string): (jobId: string) => Promise<JobSnapshot | undefined> {
  return async (jobId) => {
    const response = await fetch(`${baseUrl}/v1/jobs/${encodeURIComponent(jobId)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return response.ok ? ((await response.json()) as { data: JobSnapshot }).data : undefined;
  };
}
