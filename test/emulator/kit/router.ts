import type { EmulatorRequest, Route } from './types.ts';

interface CompiledRoute {
  route: Route;
  segments: string[];
}

/** Matches method + path against ":param" segments and a final ":rest*". */
export class Router {
  private compiled: CompiledRoute[] = [];

  add(routes: Route[], prefix = ''): void {
    for (const route of routes) {
      this.compiled.push({ route, segments: splitPath(prefix + route.path) });
    }
  }

  match(method: string, pathname: string): { route: Route; params: EmulatorRequest['params'] } | undefined {
    const parts = splitPath(pathname);
    for (const { route, segments } of this.compiled) {
      if (route.method !== method) continue;
      const params = matchSegments(segments, parts);
      if (params) return { route, params };
    }
    return undefined;
  }

  /** True when the path exists for another method (answer 405 rather than 404). */
  hasPath(pathname: string): boolean {
    const parts = splitPath(pathname);
    return this.compiled.some(({ segments }) => matchSegments(segments, parts) !== undefined);
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string;
    if (seg.startsWith(':') && seg.endsWith('*')) {
      params[seg.slice(1, -1)] = parts.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.startsWith(':')) {
      try {
        params[seg.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (seg !== part) {
      return undefined;
    }
  }
  return parts.length === segments.length ? params : undefined;
}
