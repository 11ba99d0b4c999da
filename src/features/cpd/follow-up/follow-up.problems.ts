import type { AdaptiveCard } from '../../../shared/bot-contract.js';
import { problemCard, problemCardsFor } from '../../../shared/problem-card.js';
import type { RegisterFailureCode } from '../attendance/attendance.domain.js';
import type { ChangeFailureCode } from '../changes/changes.domain.js';
import type { FeedbackFailureCode } from '../evaluation/evaluation.domain.js';
import type { RecordFailureCode } from '../record/record.domain.js';

const directory = {
  person_not_in_directory: { title: 'Development Hub could not tell who you are', nextStep: 'Ask your IT team to check your account, then try again.' },
  directory_unavailable: { title: 'Please try again in a few minutes', nextStep: 'Nothing was saved or changed. Try again shortly.' },
  invalid_action: { title: 'That button did not work', nextStep: 'Ask again in the chat and use the buttons on the new card.' },
} as const;

export const registerProblemCard = problemCardsFor<RegisterFailureCode>({
  ...directory,
  session_not_found: { title: 'Session not found', nextStep: 'Type "register for" and part of the course title to find it again.' },
  not_your_session: { title: 'That register is not yours to take', nextStep: 'Ask the facilitator or the Development Team to take it. Nothing was saved.' },
  register_not_open: { title: 'The register is not open yet', nextStep: 'Open it again from an hour before the session starts.' },
  not_on_register: { title: 'Someone on that card is not on the register', nextStep: 'Type "register for" and the course again to get an up-to-date register. Nothing was saved.' },
});

export const feedbackProblemCard = problemCardsFor<FeedbackFailureCode>({
  ...directory,
  session_not_found: { title: 'Session not found', nextStep: 'Type "feedback" to see the sessions waiting for your feedback.' },
  not_attended: { title: 'Feedback is for people who attended', nextStep: 'If you were there, ask the facilitator to mark you present on the register. Nothing was saved.' },
  session_not_over: { title: 'The session has not finished yet', nextStep: 'You will get the feedback card after it ends.' },
  feedback_closed: { title: 'Feedback for this session has closed', nextStep: 'Tell the Development Team directly if there is something they should know. Nothing was saved.' },
  score_out_of_range: { title: 'A score was out of range', nextStep: 'Score each statement from 1 to 5 and send again.' },
  scores_missing: { title: 'Some answers are missing', nextStep: 'Answer every statement and send again.' },
  text_too_long: { title: 'That answer is too long', nextStep: 'Shorten it and send again.' },
  not_allowed: { title: 'Evaluation summaries are for the Development Team', nextStep: 'Ask the Development Team for the summary of a course you ran.' },
});

export const changeProblemCard = problemCardsFor<ChangeFailureCode>({
  ...directory,
  session_not_found: { title: 'Session not found', nextStep: 'Type "register for" and the course to find the session again.' },
  not_allowed: { title: 'Only the Development Team can change sessions', nextStep: 'Ask the Development Team to move or cancel it. Nothing was changed.' },
  offering_cancelled: { title: 'This course is cancelled', nextStep: 'Nothing was changed.' },
  move_into_past: { title: 'That time has already passed', nextStep: 'Choose a date and time still to come. Nothing was changed.' },
  invalid_time: { title: 'The date or time did not read', nextStep: 'Write the date as YYYY-MM-DD and times as HH:MM. Nothing was changed.' },
  invalid_link: { title: 'The Teams link is not a web address', nextStep: 'Paste the meeting link starting with https://. Nothing was changed.' },
  capacity_below_booked: { title: 'Capacity is below the places booked', nextStep: 'Choose a capacity at least the number confirmed. Nothing was changed.' },
  invalid_capacity: { title: 'The capacity did not read', nextStep: 'Write a whole number of places. Nothing was changed.' },
  nothing_changed: { title: 'Nothing to change', nextStep: 'Edit a field, then press Save changes.' },
});

export const recordProblemCard = problemCardsFor<RecordFailureCode>({
  ...directory,
  invalid_external: { title: 'That CPD could not be added', nextStep: 'Correct it and press Add again.' },
  invalid_goal: { title: 'That goal could not be added', nextStep: 'Correct it and press Add goal again.' },
  too_many_goals: { title: 'You have as many goals as you can keep', nextStep: 'Remove one of your goals in "my cpd" first.' },
  goal_not_found: { title: 'Goal not found', nextStep: 'Type "my cpd" to see your goals.' },
});

export function invalidFollowUpCard(): AdaptiveCard {
  return problemCard({
    code: 'invalid_action',
    title: 'That button did not work',
    message: 'The button did not carry anything Development Hub understands, so nothing was saved or changed.',
    nextStep: 'Type "my cpd", "feedback" or "register for" and a course, and use the buttons on the new card.',
  });
}
