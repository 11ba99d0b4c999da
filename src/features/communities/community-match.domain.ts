import MiniSearch from 'minisearch';
import type { NormalisedMessage } from '../../shared/bot-contract.js';
import { containsSequence, stemsOf, wordsOfText } from '../../shared/message-normaliser.domain.js';
import { BoundedMemo } from '../../shared/bounded-memo.js';
import type { Community, TrustProfile } from '../../trust/trust-profile.schema.js';
import { fuzzyFrom, isConceptToken, processTerm, SynonymLookup, toQuery, withConceptTokens } from '../cpd/search/search-words.domain.js';

/**
 * Reading a chat message about communities, without an LLM: what the person wants to do (browse,
 * join, leave, their own), which kinds they named ("HLCs"), and which communities the rest of the
 * words point at. Matching reuses CPD search's pieces (Porter stems, the trust's synonym groups as
 * concept tokens, MiniSearch with typo tolerance only on longer words), so "SENDCo", "SENCO" and
 * "special educational needs coordinator" find the SENDCO Hub network alike.
 */

export type CommunityVerb = 'browse' | 'join' | 'leave' | 'mine' | 'members';

export interface CommunityReading {
  verb: CommunityVerb;
  /** Kinds named in the message ("networks" → network). */
  kindIds: string[];
  /** Words left once verbs, kinds and filler are gone: what to match communities by. */
  terms: string[];
  /** "communities", "groups": every kind. */
  namesCommunities: boolean;
  /** "what is there for…", "anything for…": a question about what exists. */
  asksWhatExists: boolean;
  /** CPD words ("training", "course"): the message is more likely for CPD search. */
  mentionsCpd: boolean;
}

const VERBS: ReadonlyArray<{ verb: CommunityVerb; phrases: string[][] }> = [
  { verb: 'leave', phrases: [['leave'], ['quit'], ['unsubscribe'], ['remove', 'me'], ['take', 'me', 'off'], ['drop', 'out'], ['stop', 'being']] },
  { verb: 'join', phrases: [['join'], ['sign', 'me', 'up'], ['sign', 'up'], ['add', 'me'], ['enrol'], ['enroll'], ['become', 'a', 'member'], ['ask', 'to', 'join']] },
  { verb: 'members', phrases: [['members'], ['member', 'list'], ['who', 'is', 'in'], ['whos', 'in'], ['membership']] },
];
const MINE = [['my'], ['am', 'i', 'in'], ['i', 'am', 'in'], ['im', 'in'], ['i', 'belong'], ['mine']];
const WHAT_EXISTS = [['what', 'is', 'there'], ['whats', 'there'], ['anything', 'for'], ['what', 'is', 'available'], ['what', 'can', 'i', 'join'], ['is', 'there', 'a'], ['are', 'there', 'any'], ['which']];
const COMMUNITY_WORDS = new Set(['community', 'communities', 'group', 'groups']);
const CPD_WORDS = new Set(['cpd', 'training', 'course', 'courses', 'session', 'sessions', 'workshop', 'workshops', 'book', 'booking', 'bookings', 'twilight']);
const FILLER = new Set([
  'a', 'an', 'the', 'of', 'for', 'to', 'in', 'on', 'at', 'me', 'my', 'i', 'im', 'am', 'is', 'are', 'there', 'what', 'whats', 'which', 'who',
  'whos', 'please', 'pls', 'can', 'could', 'would', 'you', 'do', 'does', 'any', 'anything', 'some', 'show', 'list', 'all', 'and', 'or',
  'want', 'like', 'id', 'need', 'available', 'when', 'next', 'meeting', 'meetings', 'meet', 'about', 'with', 'from', 'our', 'we', 'us',
  'hi', 'hello', 'thanks', 'now', 'be', 'it', 'this', 'that', 'these', 'those', 'belong', 'mine', 'how', 'get', 'into', 'out', 'off', 'up',
  'tell', 'find', 'open', 'new', 'member', 'members', 'list', 'still', 'also', 'trust', 'harmony',
]);

interface CommunityDocument {
  id: string;
  name: string;
  kind: string;
  strands: string;
  audiences: string;
  summary: string;
}

/** How find() and findsAny() search, one object so they cannot drift apart. */
const SEARCH_OPTIONS = { fuzzy: fuzzyFrom(5), prefix: (term: string): boolean => term.length >= 4 && !isConceptToken(term) };

export class CommunityMatcher {
  private readonly index: MiniSearch<CommunityDocument>;
  private readonly synonyms: SynonymLookup;
  private readonly kindCues: Array<{ kindId: string; stems: string[][]; words: Set<string> }>;
  private readonly byId: Map<string, Community>;
  private readonly wordFinds = new BoundedMemo<boolean>(5_000);

  constructor(profile: Pick<TrustProfile, 'communityKinds' | 'communities' | 'cpd' | 'search'>) {
    this.synonyms = new SynonymLookup(profile.search.synonyms);
    this.byId = new Map(profile.communities.map((c) => [c.id, c]));
    this.kindCues = profile.communityKinds.map((k) => {
      const phrases = [k.label, k.plural, ...k.cues].map(wordsOfText).filter((w) => w.length > 0);
      return { kindId: k.id, stems: phrases.map(stemsOf), words: new Set(phrases.filter((p) => p.length === 1).flat()) };
    });
    this.index = new MiniSearch<CommunityDocument>({
      fields: ['name', 'kind', 'strands', 'audiences', 'summary'],
      processTerm,
      searchOptions: { boost: { name: 3, strands: 2, kind: 1.5, audiences: 1, summary: 0.6 } },
    });
    const tag = (text: string): string => withConceptTokens(this.synonyms, text);
    this.index.addAll(
      profile.communities.map((c) => {
        const kind = profile.communityKinds.find((k) => k.id === c.kind);
        return {
          id: c.id,
          name: tag(c.name),
          kind: tag(kind ? `${kind.label} ${kind.plural}` : c.kind),
          strands: tag(c.strandIds.map((id) => profile.cpd.strands.find((s) => s.id === id)?.name ?? '').join(' ')),
          audiences: tag(c.audienceIds.map((id) => profile.cpd.audiences.find((a) => a.id === id)?.label ?? '').join(' ')),
          summary: tag(c.summary),
        };
      }),
    );
  }

  read(message: Pick<NormalisedMessage, 'words'>): CommunityReading {
    const words = message.words;
    const stems = stemsOf(words);
    const kindIds = this.kindCues.filter((k) => k.stems.some((phrase) => containsSequence(stems, phrase))).map((k) => k.kindId);
    const cueWords = new Set(this.kindCues.filter((k) => kindIds.includes(k.kindId)).flatMap((k) => [...k.words]));
    const cueStems = new Set(this.kindCues.filter((k) => kindIds.includes(k.kindId)).flatMap((k) => k.stems.flat()));
    const has = (phrases: string[][]): boolean => phrases.some((p) => containsSequence(words, p));
    const verb = VERBS.find((v) => has(v.phrases))?.verb ?? (has(MINE) ? 'mine' : 'browse');
    const verbWords = new Set(VERBS.flatMap((v) => v.phrases.flat()));
    const terms = words.filter(
      (w, i) => !FILLER.has(w) && !verbWords.has(w) && !cueWords.has(w) && !cueStems.has(stems[i]) && !COMMUNITY_WORDS.has(w) && !CPD_WORDS.has(w),
    );
    return {
      verb,
      kindIds,
      terms,
      namesCommunities: words.some((w) => COMMUNITY_WORDS.has(w)),
      asksWhatExists: has(WHAT_EXISTS),
      mentionsCpd: words.some((w) => CPD_WORDS.has(w)),
    };
  }

  /**
   * Communities the terms point at, best first, narrowed to the kinds named when any of those match.
   * Every word must match (typos forgiven in words of five letters or more, not in numbers); failing that, any word.
   */
  find(reading: Pick<CommunityReading, 'terms' | 'kindIds'>): Array<{ community: Community; score: number }> {
    const clauses = this.synonyms.clauses(reading.terms);
    if (clauses.length === 0) return [];
    let hits = this.index.search(toQuery(clauses, 'AND'), SEARCH_OPTIONS);
    if (hits.length === 0 && clauses.length > 1) hits = this.index.search(toQuery(clauses, 'OR'), SEARCH_OPTIONS);
    const found = hits.flatMap((h) => {
      const community = this.byId.get(String(h.id));
      return community ? [{ community, score: h.score }] : [];
    });
    const ofKind = found.filter((f) => reading.kindIds.includes(f.community.kind));
    return reading.kindIds.length > 0 && ofKind.length > 0 ? ofKind : found;
  }

  /**
   * Whether find() would find anything, without ranking: the question every chat message's score asks
   * (most are not about communities). find() searches all the words together and, finding nothing,
   * any one of them; so it finds something exactly when one word searched alone does (a lone word is
   * searched just as find() searches it). Each word's answer is remembered: the index is built once
   * and never changes, and a search with typos forgiven cost ~0.2 ms of every chat turn.
   */
  findsAny(reading: Pick<CommunityReading, 'terms'>): boolean {
    const clauses = this.synonyms.clauses(reading.terms);
    if (clauses.length === 0) return false;
    const combineWith = clauses.length === 1 ? 'AND' : 'OR';
    return clauses.some((clause) => {
      const query = toQuery([clause], combineWith);
      return this.wordFinds.get(`${combineWith} ${JSON.stringify(clause)}`, () => this.index.search(query, SEARCH_OPTIONS).length > 0);
    });
  }

  /** The one community meant, when the best match clearly leads (or stands alone). */
  single(found: ReadonlyArray<{ community: Community; score: number }>): Community | undefined {
    if (found.length === 0) return undefined;
    if (found.length === 1 || found[0].score >= found[1].score * 1.5) return found[0].community;
    return undefined;
  }
}
