import { Badge } from '@fluentui/react-components';
import type { Options, Status } from './types.js';

const COLOR: Record<Status, 'brand' | 'success' | 'warning' | 'informative' | 'danger' | 'subtle'> = {
  requested: 'brand',
  agreed: 'success',
  in_progress: 'success',
  impact_review: 'warning',
  closed: 'informative',
  declined: 'danger',
};

export function StatusBadge({ status, options }: { status: Status; options: Options }) {
  return (
    <Badge appearance="tint" color={COLOR[status]}>
      {options.statuses.find((s) => s.id === status)?.label ?? status}
    </Badge>
  );
}
