import { z } from 'zod/v4';
import { isInScope, type ResourceKind, type SearchScope } from './resource-query.domain.js';

/**
 * Reading Graph's search answer (searchResponse → hitsContainers → hits) into the resources a card
 * shows. Graph's shape varies by entity type and by the `fields` asked for, and a hit may lack
 * anything but its id, so every field is optional here and a hit without a usable https link, or
 * outside the library's scope, is left out rather than shown broken.
 */

export interface Resource {
  id: string;
  title: string;
  kind: ResourceKind;
  webUrl: string;
  /** Graph's summary without its highlight markup; '' when none. */
  snippet: string;
  author: string | undefined;
  modified: Date | undefined;
}

export interface ParsedSearch {
  resources: Resource[];
  moreResultsAvailable: boolean;
  total: number | undefined;
  /** Hits left out because they had no usable link or lay outside the scope. */
  skipped: number;
}

const identity = z.object({ user: z.object({ displayName: z.string().nullish() }).nullish() }).nullish();
const fields = z.record(z.string(), z.unknown()).nullish();
const resourceSchema = z.object({
  '@odata.type': z.string().nullish(),
  id: z.string().nullish(),
  name: z.string().nullish(),
  webUrl: z.string().nullish(),
  lastModifiedDateTime: z.string().nullish(),
  createdBy: identity,
  lastModifiedBy: identity,
  folder: z.unknown().optional(),
  file: z.object({ mimeType: z.string().nullish() }).nullish(),
  fields,
  listItem: z.object({ fields }).nullish(),
});
const hitSchema = z.object({ hitId: z.string().nullish(), summary: z.string().nullish(), resource: z.unknown() });
const responseSchema = z.object({
  value: z.array(
    z.object({
      hitsContainers: z
        .array(z.object({ hits: z.array(z.unknown()).nullish(), total: z.number().nullish(), moreResultsAvailable: z.boolean().nullish() }))
        .nullish(),
    }),
  ),
});

const EXTENSION_KINDS: Record<string, ResourceKind> = {
  doc: 'document', docx: 'document', odt: 'document', rtf: 'document', txt: 'document', dotx: 'document',
  pdf: 'pdf',
  ppt: 'presentation', pptx: 'presentation', odp: 'presentation', potx: 'presentation',
  xls: 'spreadsheet', xlsx: 'spreadsheet', csv: 'spreadsheet', ods: 'spreadsheet',
  mp4: 'video', mov: 'video', m4v: 'video', webm: 'video', wmv: 'video', avi: 'video',
  url: 'link', aspx: 'page',
};

/** Null when the body is not a search response at all (the caller shows a friendly error). */
export function parseSearchResponse(body: unknown, scope: SearchScope): ParsedSearch | null {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) return null;
  const containers = parsed.data.value.flatMap((v) => v.hitsContainers ?? []);
  const resources: Resource[] = [];
  let skipped = 0;
  for (const container of containers) {
    for (const raw of container.hits ?? []) {
      const resource = readHit(raw, scope);
      if (resource && !resources.some((r) => r.webUrl === resource.webUrl)) resources.push(resource);
      else skipped += 1;
    }
  }
  const totals = containers.map((c) => c.total).filter((t): t is number => typeof t === 'number' && t >= 0);
  return {
    resources,
    moreResultsAvailable: containers.some((c) => c.moreResultsAvailable === true),
    total: totals.length ? totals.reduce((a, b) => a + b, 0) : undefined,
    skipped,
  };
}

function readHit(raw: unknown, scope: SearchScope): Resource | null {
  const hit = hitSchema.safeParse(raw);
  if (!hit.success) return null;
  const resource = resourceSchema.safeParse(hit.data.resource ?? {});
  if (!resource.success) return null;
  const r = resource.data;
  const bag = { ...(r.listItem?.fields ?? {}), ...(r.fields ?? {}) };
  const text = (key: string): string | undefined => {
    const value = bag[key];
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const webUrl = r.webUrl ?? text('webUrl') ?? text('path');
  if (!webUrl || !isInScope(webUrl, scope)) return null;
  const name = r.name ?? text('name') ?? text('fileName');
  const title = cleanText(text('title') ?? stripExtension(name) ?? lastSegment(webUrl), 200) || 'Untitled';
  const modifiedText = r.lastModifiedDateTime ?? text('lastModifiedDateTime') ?? text('modified');
  const modified = modifiedText ? new Date(modifiedText) : undefined;
  return {
    id: hit.data.hitId ?? r.id ?? webUrl,
    title,
    kind: kindOf({ odataType: r['@odata.type'] ?? undefined, isFolder: r.folder !== undefined && r.folder !== null, name, fileType: text('fileType') ?? text('filetype'), webUrl, contentClass: text('contentclass') }),
    webUrl: new URL(webUrl).href,
    snippet: cleanSummary(hit.data.summary ?? ''),
    author: cleanText(r.createdBy?.user?.displayName ?? r.lastModifiedBy?.user?.displayName ?? text('author') ?? text('createdBy') ?? '', 80) || undefined,
    modified: modified && !Number.isNaN(modified.getTime()) ? modified : undefined,
  };
}

export function kindOf(item: { odataType?: string | undefined; isFolder: boolean; name?: string | null | undefined; fileType?: string | undefined; webUrl: string; contentClass?: string | undefined }): ResourceKind {
  if (item.isFolder) return 'folder';
  if (item.contentClass && /link/i.test(item.contentClass)) return 'link';
  const extension = (item.fileType ?? extensionOf(item.name ?? '') ?? extensionOf(safePath(item.webUrl)) ?? '').toLowerCase();
  const kind = EXTENSION_KINDS[extension];
  if (kind) return kind;
  // A list item with no file behind it is a link or a page in the library.
  if (item.odataType === '#microsoft.graph.listItem') return 'link';
  return 'document';
}

/** Graph marks matches with <c0>…</c0> and cuts with <ddd/>: keep the words, show cuts as an ellipsis. */
export function cleanSummary(summary: string): string {
  const text = summary
    .replace(/<ddd\s*\/?>/gi, ' … ')
    .replace(/<\/?c\d+\s*>/gi, '')
    .replace(/<[^>]*>/g, ' ');
  return cleanText(decodeEntities(text), 300).replace(/^…\s*/, '').replace(/(\s*…)+$/, '…');
}

function cleanText(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- control characters never belong on a card
  const cleaned = text.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').replace(/(…\s*){2,}/g, '… ').trim();
  return cleaned.length > max ? `${cleaned.slice(0, max - 1).trimEnd()}…` : cleaned;
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return safeCodePoint(parseInt(entity.slice(2), 16)) ?? whole;
    if (entity.startsWith('#')) return safeCodePoint(parseInt(entity.slice(1), 10)) ?? whole;
    return named[entity.toLowerCase()] ?? whole;
  });
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function extensionOf(name: string): string | undefined {
  const match = /\.([a-z0-9]{1,5})$/i.exec(name);
  return match?.[1];
}

function stripExtension(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  return name.replace(/\.[a-z0-9]{1,5}$/i, '') || name;
}

function safePath(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return '';
  }
}

function lastSegment(url: string): string {
  return stripExtension(safePath(url).split('/').filter(Boolean).pop()) ?? url;
}
