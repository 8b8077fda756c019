import { create } from 'zustand';
import type { CoreEvent, JobSnapshot } from '../../shared/events.ts';
import { api } from './apiClient.ts';

interface LiveState {
  /** Whether the event stream to the core is open (null before the first attempt). */
  connected: boolean | null;
  /** The machine's own network state: syncs cannot reach the providers without it, the index still reads. */
  online: boolean;
  /** Sync jobs queued or running, by job id, with their latest progress (both count as under way). */
  jobs: Readonly<Record<string, JobSnapshot>>;
}

export const useLiveStore = create<LiveState>(() => ({
  connected: null,
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  jobs: {},
}));

type Listener = (event: CoreEvent) => void;
const listeners = new Set<Listener>();

/** Called for every core event the stream delivers. */
export function onCoreEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** After the stream was down, events may have been missed: listeners refresh what they show. */
const gapListeners = new Set<() => void>();
export function onEventGap(listener: () => void): () => void {
  gapListeners.add(listener);
  return () => gapListeners.delete(listener);
}

/** Splits a Server-Sent Events byte stream into `data:` payloads (one per event). */
export async function* serverSentEvents(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) yield data;
    }
  }
}

function applyJobEvent(event: CoreEvent): void {
  if (event.type === 'job.updated') {
    const { job } = event;
    useLiveStore.setState((s) => {
      const jobs = { ...s.jobs };
      if (job.status === 'queued' || job.status === 'running') jobs[job.id] = job;
      else {
        delete jobs[job.id];
        if (adopting.has(job.id)) ended.add(job.id);
      }
      return { jobs };
    });
  } else if (event.type === 'job.progress') {
    if (!useLiveStore.getState().jobs[event.job_id]) adoptJob(event.job_id);
    useLiveStore.setState((s) => {
      const job = s.jobs[event.job_id];
      if (!job) return s;
      // The queue announces a job queued and finished; progress between the two means it runs.
      return {
        jobs: { ...s.jobs, [job.id]: { ...job, status: 'running', progress: { done: event.done, total: event.total } } },
      };
    });
  }
}

/** Jobs asked for once: progress of a job queued before the page opened (the demo's first syncs, another window's). */
const adopting = new Set<string>();
const ended = new Set<string>();

function adoptJob(jobId: string): void {
  if (adopting.has(jobId)) return;
  adopting.add(jobId);
  api.job(jobId).then(
    ({ data: job }) => {
      if (job.status !== 'queued' && job.status !== 'running') return;
      // Its end may have come meanwhile (then it is in adopting, not in jobs, and stays out).
      useLiveStore.setState((s) => (s.jobs[job.id] || ended.has(job.id) ? s : { jobs: { ...s.jobs, [job.id]: job } }));
    },
    () => {}, // not readable (a calendar job for a mail-only key): its progress is not shown
  );
}

let started = false;

/**
 * Keeps one event stream to the core open for the page's life, reconnecting
 * with backoff (1 s doubling to 15 s). The core restarting or the machine
 * sleeping shows as "Offline" until the stream is back; every reconnection
 * after a drop tells listeners to refresh, since events were missed meanwhile.
 */
export function startLiveEvents(): void {
  if (started) return;
  started = true;
  const setOnline = () => useLiveStore.setState({ online: navigator.onLine });
  window.addEventListener('online', setOnline);
  window.addEventListener('offline', setOnline);
  void (async () => {
    let delay = 1_000;
    let hadConnection = false;
    for (;;) {
      const controller = new AbortController();
      try {
        const stream = await api.eventStream(controller.signal);
        useLiveStore.setState({ connected: true });
        if (hadConnection) for (const listener of gapListeners) listener();
        hadConnection = true;
        delay = 1_000;
        for await (const data of serverSentEvents(stream)) {
          let event: CoreEvent;
          try {
            event = JSON.parse(data) as CoreEvent;
          } catch {
            continue;
          }
          applyJobEvent(event);
          for (const listener of listeners) listener(event);
        }
      } catch {
        // The core is gone for now (restart, sleep); try again below.
      }
      controller.abort();
      // Jobs the stream reported may have ended while it was down.
      useLiveStore.setState({ connected: false, jobs: {} });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(15_000, delay * 2);
    }
  })();
}
