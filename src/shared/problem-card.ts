import type { AdaptiveCard } from './bot-contract.js';
import { renderCard } from './cards.js';
import template from './cards/problem.json' with { type: 'json' };
import type { Failure } from './result.js';

export interface Problem {
  title: string;
  message: string;
  /** What the person can do about it. */
  nextStep?: string;
  /** The stable failure code, kept on the card for support and tests. */
  code: string;
}

/** The one error card every feature uses: what happened, what to do next, never a stack trace. */
export function problemCard(problem: Problem): AdaptiveCard {
  const card = renderCard(template, { ...problem, nextStep: problem.nextStep ?? '' });
  return { ...card, metadata: { problemCode: problem.code } };
}

/** An error card for an expected failure value (session_full, not_allowed, …). */
export function failureCard(failure: Failure, title = 'That did not work', nextStep?: string): AdaptiveCard {
  return problemCard({ title, message: failure.message, code: failure.code, ...(nextStep ? { nextStep } : {}) });
}

/** What an error card says for one failure code: its title and what to do next (the message comes with the failure). */
export interface ProblemWording {
  title: string;
  nextStep: string;
}

/**
 * A feature's expected failures as error cards. The table is a Record over the feature's failure
 * codes, so a new code without its wording does not compile.
 */
export function problemCardsFor<C extends string>(wording: Record<C, ProblemWording>): (failure: Failure<C>) => AdaptiveCard {
  return (failure) => {
    const problem = wording[failure.code];
    return problemCard({ code: failure.code, title: problem.title, message: failure.message, nextStep: problem.nextStep });
  };
}
