// pino-roll ships no types: the part of its API Outpost uses (see its README).
declare module 'pino-roll' {
  /** The SonicBoom stream pino-roll returns: a pino destination that can be ended. */
  interface RollingStream extends NodeJS.EventEmitter {
    write(chunk: string): boolean;
    end(): void;
    readonly destroyed: boolean;
  }

  interface PinoRollOptions {
    file: string | (() => string);
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    symlink?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    dateFormat?: string;
    mkdir?: boolean;
    sync?: boolean;
    mode?: number;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<RollingStream>;
}
