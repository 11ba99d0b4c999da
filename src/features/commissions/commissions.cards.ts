import type { AdaptiveCard } from '../../shared/bot-contract.js';
import { renderCard } from '../../shared/cards.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import { STATUS_LABELS, type CommissionStatus } from './commissions.domain.js';
import type { Commission, CommissionChannel } from './commissions.repository.js';
import commissionTemplate from './cards/commission.json' with { type: 'json' };

/** The trust's word for a status, else the app's. */
export const statusLabel = (profile: Pick<TrustProfile, 'bespokeSupport'>, status: CommissionStatus): string =>
  profile.bespokeSupport.statusLabels[status] ?? STATUS_LABELS[status];

const STATUS_COLOR: Record<CommissionStatus, string> = {
  requested: 'Accent',
  agreed: 'Good',
  in_progress: 'Good',
  impact_review: 'Warning',
  closed: 'Default',
  declined: 'Attention',
};

/** The personal tab's entity id (appPackage/manifest.json staticTabs), where the Director of Education sees every academy. */
export const PERSONAL_TAB_ENTITY_ID = 'commissions';

/**
 * A Teams deep link that opens the tab on this commission: the channel tab when the academy linked
 * one, else the personal tab. subEntityId carries the commission id; the tab reads it from its
 * TeamsJS context (page.subPageId) and opens that commission.
 */
export function tabDeepLink(teamsAppId: string | undefined, commissionId: string | undefined, channel: CommissionChannel | undefined): string {
  if (!teamsAppId) return '';
  const entity = channel ? channel.entityId : PERSONAL_TAB_ENTITY_ID;
  const context = { ...(commissionId ? { subEntityId: commissionId } : {}), ...(channel ? { channelId: channel.channelId } : {}) };
  const base = `https://teams.microsoft.com/l/entity/${encodeURIComponent(teamsAppId)}/${encodeURIComponent(entity)}`;
  return Object.keys(context).length ? `${base}?context=${encodeURIComponent(JSON.stringify(context))}` : base;
}

/** Cards are read in a chat or channel: the need is cut here; the tab shows it whole. */
const CARD_NEED_CHARS = 600;

export function commissionCard(
  profile: TrustProfile,
  commission: Commission,
  options: { notice: string; tabLink: string },
): AdaptiveCard {
  const academy = profile.academies.find((a) => a.id === commission.academyId);
  const type = profile.bespokeSupport.types.find((t) => t.id === commission.supportTypeId);
  const facts = [
    { title: 'Raised by', value: commission.raisedByName },
    ...(commission.externalSchool ? [{ title: 'School supported', value: `${commission.externalSchool.name} (${commission.externalSchool.termCount} terms)` }] : []),
    ...(commission.startDate && commission.endDate ? [{ title: 'Dates', value: `${commission.startDate} to ${commission.endDate}` }] : []),
    ...(commission.assignedStaff.length ? [{ title: 'Assigned', value: commission.assignedStaff.join(', ') }] : []),
    ...(commission.measures.length ? [{ title: 'Impact measures', value: String(commission.measures.length) }] : []),
    ...(commission.declineReason ? [{ title: 'Reason', value: commission.declineReason }] : []),
  ];
  return renderCard(commissionTemplate, {
    reference: commission.reference,
    academyName: academy?.name ?? commission.academyId,
    supportTypeLabel: type?.label ?? commission.supportTypeId,
    statusLabel: statusLabel(profile, commission.status),
    statusColor: STATUS_COLOR[commission.status],
    notice: options.notice,
    facts,
    need: commission.need.length > CARD_NEED_CHARS ? `${commission.need.slice(0, CARD_NEED_CHARS - 1)}…` : commission.need,
    tabLink: options.tabLink,
    openHint: 'Open the Commissions tab in Teams to see it in full.',
  });
}

/** What the channel card says happened, from the status the commission is now in. */
export function changeNotice(commission: Commission): string {
  switch (commission.status) {
    case 'requested':
      return `${commission.raisedByName} raised a request for bespoke support.`;
    case 'agreed':
      return 'The Director of Education agreed this commission and its impact measures.';
    case 'in_progress':
      return 'The support has started.';
    case 'impact_review':
      return 'The impact review has begun.';
    case 'closed':
      return 'The commission is closed, with an impact judgement for each measure.';
    case 'declined':
      return 'The Director of Education declined this request.';
  }
}
