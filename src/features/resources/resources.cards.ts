import type { AdaptiveCard } from '../../shared/bot-contract.js';
import { BoundedMemo } from '../../shared/bounded-memo.js';
import { renderCard } from '../../shared/cards.js';
import resourceTemplate from './cards/resource.json' with { type: 'json' };
import resultsTemplate from './cards/results.json' with { type: 'json' };
import type { Resource } from './resource-hits.domain.js';
import { describeResourceQuery, type ResourceKind } from './resource-query.domain.js';
import type { ResourcePage } from './resources.service.js';

export const RESOURCES_MORE_VERB = 'resources.more';
export const RESOURCES_SIGN_IN_INTENT = 'resources.sign_in';

const KIND_LABELS: Record<ResourceKind, { icon: string; label: string }> = {
  document: { icon: '📄', label: 'Document' },
  video: { icon: '🎬', label: 'Video' },
  presentation: { icon: '📊', label: 'Presentation' },
  pdf: { icon: '📕', label: 'PDF' },
  spreadsheet: { icon: '📗', label: 'Spreadsheet' },
  link: { icon: '🔗', label: 'Link' },
  folder: { icon: '📁', label: 'Folder' },
  page: { icon: '🌐', label: 'Page' },
};

export interface CardSettings {
  libraryTitle: string;
  locale: string;
  timeZone: string;
}

export interface ResourceCardItem {
  icon: string;
  title: string;
  meta: string;
  snippet: string;
  webUrl: string;
  shareUrl: string;
}

/** Built once per locale and zone (the locale comes from Teams, so bounded): constructing an Intl.DateTimeFormat costs more than a whole card's other fields. */
const dateFormats = new BoundedMemo<Intl.DateTimeFormat>(64);
function dateFormat(settings: CardSettings): Intl.DateTimeFormat {
  return dateFormats.get(`${settings.locale}|${settings.timeZone}`, () => new Intl.DateTimeFormat(settings.locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: settings.timeZone }));
}

export function resourceCardItem(resource: Resource, settings: CardSettings): ResourceCardItem {
  const kind = KIND_LABELS[resource.kind];
  const date = resource.modified ? dateFormat(settings).format(resource.modified) : undefined;
  return {
    icon: kind.icon,
    title: resource.title,
    meta: [kind.label, resource.author, date && `updated ${date}`].filter(Boolean).join(' · '),
    snippet: resource.snippet,
    webUrl: resource.webUrl,
    shareUrl: shareToTeamsUrl(resource),
  };
}

/** Teams' "Share to Teams" page: the person picks the chat and Teams posts the link with its preview. */
export function shareToTeamsUrl(resource: Pick<Resource, 'webUrl' | 'title'>): string {
  return `https://teams.microsoft.com/share?href=${encodeURIComponent(resource.webUrl)}&msgText=${encodeURIComponent(resource.title)}&preview=true`;
}

export interface ResultsCardInput {
  page: ResourcePage;
  pageNumber: number;
  /** What the More button searches again (the person's words, capped). */
  queryText: string;
  suggestions: readonly string[];
  shortcuts: ReadonlyArray<{ title: string; url: string }>;
  /** Offer sign-in: the results are the app's view (shared content only) and the person could see more. */
  offerSignIn: boolean;
}

export function resourceResultsCard(input: ResultsCardInput, settings: CardSettings): AdaptiveCard {
  const { page } = input;
  const described = describeResourceQuery(page.query);
  const found = page.resources.length > 0;
  const first = page.from + 1;
  const heading = !found
    ? described
      ? `Nothing in the ${settings.libraryTitle} matches "${described}"`
      : `The ${settings.libraryTitle} has nothing to show yet`
    : described
      ? `Resources on ${described}`
      : `Recently updated in the ${settings.libraryTitle}`;
  const subheading = found
    ? `${first}–${page.from + page.resources.length}${page.total !== undefined && page.total >= page.from + page.resources.length ? ` of ${page.total}` : ''} from the ${settings.libraryTitle}`
    : 'Try other words, a nearby topic below, or the guidance shortcuts.';
  const notes: string[] = [];
  if (page.query.truncated) notes.push(`Only the first ${page.query.terms.length} words were searched.`);
  if (page.query.droppedShort) notes.push('Single letters were left out of the search.');
  return renderCard(resultsTemplate, {
    heading,
    subheading,
    notice: notes.join(' '),
    items: page.resources.map((r) => resourceCardItem(r, settings)),
    suggestions: found ? [] : input.suggestions.map((topic) => ({ title: topic, prompt: `resources on ${topic}` })),
    shortcuts: found ? [] : input.shortcuts,
    shortcutsHeading: 'Education Endowment Foundation guidance',
    signInNote: input.offerSignIn ? 'Showing what everyone in the trust can see. Sign in to include files shared with you.' : '',
    signInPrompt: 'sign in to the resource library',
    hasPrevious: input.pageNumber > 0,
    hasMore: found && page.moreAvailable,
    previousPage: Math.max(0, input.pageNumber - 1),
    nextPage: input.pageNumber + 1,
    query: input.queryText,
    moreVerb: RESOURCES_MORE_VERB,
  });
}

/** One resource on its own: a message-extension result and an unfurled link. */
export function resourceCard(resource: Resource, settings: CardSettings): AdaptiveCard {
  return renderCard(resourceTemplate, { ...resourceCardItem(resource, settings), library: settings.libraryTitle });
}
