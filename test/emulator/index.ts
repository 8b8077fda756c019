/** The provider emulator: import startEmulator in tests, or run cli.ts. Keep this file tiny (two teams wire services here). */
import { createGoogleService } from './google/index.ts';
import { type EmulatorOptions, type RunningEmulator, type ServiceFactory, startServer } from './kit/server.ts';
import { createMicrosoftService } from './microsoft/index.ts';

export type { FaultRule } from './kit/faults.ts';
export type { EmulatorOptions, RunningEmulator } from './kit/server.ts';
export type * from './kit/types.ts';

const factories: ServiceFactory[] = [
  { name: 'google', create: createGoogleService },
  { name: 'microsoft', create: createMicrosoftService },
];

export function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startServer(options, factories);
}
