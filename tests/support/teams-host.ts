import type { Frame, Page } from 'playwright-core';

export const TEAMS_ORIGIN = 'https://teams.microsoft.com';
export const APP_ORIGIN = 'https://devhub.example.net';

export interface HostOptions {
  /** The tab page the host frames, e.g. `/tab/index.html?academy=brookside`. */
  tabPath: string;
  theme: 'default' | 'dark' | 'contrast';
  /** What getAuthToken() answers: an Entra token for the person using the tab. */
  token: string;
  frameContext: 'content' | 'settings';
  subEntityId?: string;
  teamId?: string;
  channelId?: string;
}

/**
 * A page playing the Teams client: frames the tab and answers TeamsJS's postMessage protocol
 * (requests {id, uuidAsString, func, args}, replies {id, uuidAsString, args}, host events {func, args})
 * from https://teams.microsoft.com, an origin TeamsJS trusts. It answers initialize, getContext,
 * authentication.getAuthToken (with the given token) and the configuration page's calls, and records
 * every call so tests can check what the tab asked for.
 */
export function hostPage(o: HostOptions): string {
  const context = {
    frameContext: o.frameContext,
    hostClientType: 'web',
    locale: 'en-gb',
    theme: o.theme,
    tid: 'tenant',
    userObjectId: 'user',
    ...(o.subEntityId ? { subEntityId: o.subEntityId } : {}),
    ...(o.teamId ? { teamId: o.teamId, channelId: o.channelId } : {}),
  };
  return `<!doctype html>
<html lang="en"><head><title>Teams</title></head><body style="margin:0">
<iframe id="tab" title="Commissions" src="${APP_ORIGIN}${o.tabPath}" style="width:1280px;height:1400px;border:0"></iframe>
<script>
  window.hostLog = [];
  const frame = document.getElementById('tab');
  const reply = (request, args) => frame.contentWindow.postMessage({ id: request.id, uuidAsString: request.uuidAsString, args }, '${APP_ORIGIN}');
  window.addEventListener('message', (event) => {
    if (event.origin !== '${APP_ORIGIN}' || typeof event.data !== 'object' || !event.data.func) return;
    const request = event.data;
    window.hostLog.push({ func: request.func, args: request.args });
    switch (request.func) {
      case 'initialize': reply(request, ['${o.frameContext}', 'web', '2.0.0']); break;
      case 'getContext': reply(request, [${JSON.stringify(context)}]); break;
      case 'authentication.getAuthToken': reply(request, [true, ${JSON.stringify(o.token)}]); break;
      case 'settings.setSettings': reply(request, [true]); break;
    }
  });
  window.setTheme = (theme) => frame.contentWindow.postMessage({ func: 'themeChange', args: [theme] }, '${APP_ORIGIN}');
  window.pressSave = () => frame.contentWindow.postMessage({ func: 'settings.save', args: [{}] }, '${APP_ORIGIN}');
</script></body></html>`;
}

/** Serves the host at TEAMS_ORIGIN and the app's origin from the real server at `base`; nothing leaves the machine. */
export async function routeTeams(page: Page, base: string, host: () => string): Promise<void> {
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin === TEAMS_ORIGIN) return route.fulfill({ contentType: 'text/html', body: host() });
    if (url.origin === APP_ORIGIN) {
      const request = route.request();
      const response = await fetch(`${base}${url.pathname}${url.search}`, {
        method: request.method(),
        headers: Object.fromEntries(Object.entries(await request.allHeaders()).filter(([name]) => ['authorization', 'content-type'].includes(name))),
        ...(request.method() === 'GET' || request.method() === 'HEAD' ? {} : { body: request.postDataBuffer() ?? undefined }),
      });
      return route.fulfill({ status: response.status, contentType: response.headers.get('content-type') ?? undefined, body: Buffer.from(await response.arrayBuffer()) });
    }
    return route.abort(); // e.g. TeamsJS's CDN list of valid origins: it falls back to its built-in list
  });
}

export function tabFrame(page: Page, path = '/tab/'): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(`${APP_ORIGIN}${path}`));
  if (!frame) throw new Error(`tab frame ${path} not found`);
  return frame;
}

export async function hostLog(page: Page): Promise<Array<{ func: string; args: unknown[] }>> {
  return page.evaluate<Array<{ func: string; args: unknown[] }>>('window.hostLog');
}
