/** The running clocks of an entry as tags: overdue red, due within 3 days orange (rules in entries/due.ts). */
import { ClockCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Flex, Tag, Tooltip } from 'antd';
import { activeDueItems, type DueItem, dueColor } from '../entries/due';
import type { Entry } from '../entries/types';
import { useI18n } from '../i18n/I18nContext';
import type { MetaList } from '../meta/types';

export function useDueText() {
  const { t, locale } = useI18n();
  return (item: DueItem) => {
    const label = item.clock ? (locale === 'en' ? item.clock.labelEn || item.clock.label : item.clock.label) : item.clockId;
    let when: string;
    if (item.kind === 'milestone') when = item.days < 0 ? t('due.reached') : t('due.inDays', { days: item.days });
    else if (item.days < 0) when = t('due.overdueBy', { days: -item.days });
    else if (item.days === 0) when = t('due.today');
    else when = t('due.inDays', { days: item.days });
    return { label, when };
  };
}

/** One due date as a tag; `compact` leaves the clock's name out (when it is shown beside the tag). */
export function DueTag({ item, compact }: { item: DueItem; compact?: boolean }) {
  const text = useDueText()(item);
  const urgent = item.kind === 'deadline' && item.level !== 'normal';
  const label = text.label.length > 12 ? `${text.label.slice(0, 12)}…` : text.label;
  return (
    <Tooltip title={`${text.label}：${item.date}（${text.when}）`}>
      <Tag
        color={dueColor(item)}
        icon={urgent ? <ExclamationCircleOutlined /> : <ClockCircleOutlined />}
        style={{ marginInlineEnd: 0, whiteSpace: 'nowrap' }}
      >
        {compact ? `${item.date} · ${text.when}` : `${label} ${item.date}`}
      </Tag>
    </Tooltip>
  );
}

/** Up to `max` most urgent running clocks of an entry, plus the server's overdue flag. */
export function DueBadges({ entry, list, today, max = 2 }: { entry: Entry; list: MetaList; today: string; max?: number }) {
  const { t } = useI18n();
  const items = activeDueItems(entry, list.procedure, list.clocks, today);
  if (!items.length && !entry.overdue) return <span style={{ color: 'rgba(0,0,0,0.25)' }}>—</span>;
  return (
    <Flex gap={4} wrap vertical align="flex-start">
      {entry.overdue && !items.some((i) => i.kind === 'deadline' && i.level === 'overdue') ? (
        <Tag color="red" icon={<ExclamationCircleOutlined />}>
          {t('due.overdue')}
        </Tag>
      ) : null}
      {items.slice(0, max).map((item) => (
        <DueTag key={item.clockId} item={item} />
      ))}
    </Flex>
  );
}
