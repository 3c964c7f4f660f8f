/** Loading, error and empty states shared by every page. */
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Result, Spin, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nContext';
import { useMeta } from '../meta/MetaContext';
import type { Meta } from '../meta/types';
import { errorMessageKey, toApiError } from '../providers/errors';

export function PageLoading({ tip }: { tip?: string }) {
  const { t } = useI18n();
  return (
    <Flex align="center" justify="center" vertical gap={12} style={{ minHeight: 240 }} role="status" aria-live="polite">
      <Spin size="large" />
      <Typography.Text type="secondary">{tip ?? t('common.loading')}</Typography.Text>
    </Flex>
  );
}

export interface ErrorStateProps {
  error: unknown;
  title?: string;
  /** Extra sentence under the explanation. */
  hint?: string;
  onRetry?: () => void;
  extra?: ReactNode;
}

/** A friendly explanation of a failed request, with the server's own message as detail. */
export function ErrorState({ error, title, hint, onRetry, extra }: ErrorStateProps) {
  const { t } = useI18n();
  const apiError = toApiError(error);
  const explanation = t(errorMessageKey(apiError), { status: apiError.statusCode });
  const serverMessage = apiError.message && apiError.statusCode !== 0 ? apiError.message : undefined;
  return (
    <Result
      status="warning"
      title={title ?? t('errors.http', { status: apiError.statusCode })}
      subTitle={
        <Flex vertical gap={4} data-testid="error-state">
          <span>{explanation}</span>
          {hint ? <span>{hint}</span> : null}
          {serverMessage ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {apiError.code ? `${apiError.code}: ` : ''}
              {serverMessage}
            </Typography.Text>
          ) : null}
        </Flex>
      }
      extra={
        <Flex gap={8} justify="center">
          {onRetry ? (
            <Button type="primary" icon={<ReloadOutlined />} onClick={onRetry}>
              {t('common.retry')}
            </Button>
          ) : null}
          {extra}
        </Flex>
      }
    />
  );
}

export function EmptyState({ title, description }: { title?: string; description?: string }) {
  const { t } = useI18n();
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <Flex vertical gap={2}>
          <Typography.Text>{title ?? t('common.empty')}</Typography.Text>
          {description ? <Typography.Text type="secondary">{description}</Typography.Text> : null}
        </Flex>
      }
    />
  );
}

/** Renders its children only once `/api/meta` is loaded; otherwise a loading or error state. */
export function MetaGate({ children }: { children: (meta: Meta) => ReactNode }) {
  const { t } = useI18n();
  const { meta, isLoading, error, refetch } = useMeta();
  if (meta) return <>{children(meta)}</>;
  if (isLoading || !error) return <PageLoading tip={t('meta.loading')} />;
  return <ErrorState error={error} title={t('meta.errorTitle')} hint={t('meta.errorDescription')} onRetry={refetch} />;
}
