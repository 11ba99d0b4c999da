import type { ApiRoute } from '../shared/api-route.js';

export interface CompiledRoute {
  route: ApiRoute;
  segments: Array<{ literal: string } | { param: string }>;
}

export type RouteMatch = { kind: 'found'; route: CompiledRoute; params: Record<string, string> } | { kind: 'none' } | { kind: 'wrong_method' };

export function compileRoutes(routes: readonly ApiRoute[]): CompiledRoute[] {
  return routes.map((route) => ({
    route,
    segments: route.path.split('/').map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { literal: s })),
  }));
}

/** Literal segments beat parameters (`commissions/options` before `commissions/:id`), whatever the order routes were listed in. */
export function matchRoute(routes: readonly CompiledRoute[], method: string, path: string): RouteMatch {
  const parts = path.replace(/\/+$/, '').split('/');
  let best: { route: CompiledRoute; params: Record<string, string>; literals: number } | undefined;
  let pathKnown = false;
  for (const compiled of routes) {
    if (compiled.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const fits = compiled.segments.every((segment, i) => {
      if ('literal' in segment) {
        literals++;
        return segment.literal === parts[i];
      }
      try {
        params[segment.param] = decodeURIComponent(parts[i]);
      } catch {
        return false;
      }
      return parts[i].length > 0;
    });
    if (!fits) continue;
    pathKnown = true;
    if (compiled.route.method !== method.toUpperCase()) continue;
    if (!best || literals > best.literals) best = { route: compiled, params, literals };
  }
  if (best) return { kind: 'found', route: best.route, params: best.params };
  return pathKnown ? { kind: 'wrong_method' } : { kind: 'none' };
}
