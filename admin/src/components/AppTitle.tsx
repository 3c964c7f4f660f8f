import { SafetyCertificateFilled } from '@ant-design/icons';
import type { TitleProps } from '@refinedev/core';
import { ThemedTitle } from '@refinedev/antd';
import { useI18n } from '../i18n/I18nContext';
import { useMeta } from '../meta/MetaContext';

/** Sider title: the platform name from meta (falls back to the product name while loading). */
export function AppTitle({ collapsed }: TitleProps) {
  const { t, pick } = useI18n();
  const { meta } = useMeta();
  const text = meta ? pick(meta.platform.name, meta.platform.nameEn) : t('app.title');
  return (
    <ThemedTitle
      collapsed={collapsed}
      icon={<SafetyCertificateFilled style={{ color: '#c62828' }} />}
      text={
        <span
          title={text}
          style={{
            display: '-webkit-box',
            WebkitLineClamp: 2,
            WebkitBoxOrient: 'vertical',
            overflow: 'hidden',
            whiteSpace: 'normal',
            lineHeight: 1.3,
          }}
        >
          {text}
        </span>
      }
    />
  );
}
