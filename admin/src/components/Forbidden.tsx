import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../i18n/I18nContext';

/** Shown instead of a page the user's roles do not reach. */
export function Forbidden({ description }: { description?: string }) {
  const { t } = useI18n();
  return (
    <Result
      status="403"
      title={t('access.forbiddenTitle')}
      subTitle={description ?? t('access.forbiddenDescription')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}
